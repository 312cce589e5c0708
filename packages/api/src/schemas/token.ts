import { allScopes } from '@pocket-smyth/core';
import { z } from 'zod';
import { isoDate } from './date';

export const scopeInput = z.enum(allScopes as [string, ...string[]]);

export const tokenOutput = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(scopeInput),
  createdAt: isoDate(),
  expiresAt: isoDate(),
  lastUsedAt: isoDate().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: isoDate().nullable(),
});

export const tokenWithOwnerOutput = tokenOutput.extend({
  owner: z.object({ id: z.string(), email: z.string(), username: z.string().nullable() }),
});
