import { allScopes } from '@pocket-smyth/core';
import { z } from 'zod';

export const scopeInput = z.enum(allScopes as [string, ...string[]]);

export const tokenOutput = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(scopeInput),
  createdAt: z.date(),
  expiresAt: z.date(),
  lastUsedAt: z.date().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: z.date().nullable(),
});

export const tokenWithOwnerOutput = tokenOutput.extend({
  owner: z.object({ id: z.string(), email: z.string(), username: z.string().nullable() }),
});
