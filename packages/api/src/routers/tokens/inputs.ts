import { z } from 'zod';
import { scopeInput } from '../../schemas/token';

export const createTokenInput = z.strictObject({
  name: z.string().trim().min(1, 'Name the token after what uses it.').max(100),
  scopes: z.array(scopeInput).min(1, 'Pick at least one scope.').max(20),
  expiresInDays: z.number().int().min(1).max(3650).default(90),
});

export const tokenIdInput = z.strictObject({ id: z.string().min(1).max(64) });
