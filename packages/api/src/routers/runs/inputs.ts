import { runStatuses } from '@pocket-smyth/db';
import { z } from 'zod';

export const runListInput = z.strictObject({
  /** Newest first; the last id of a page gives the next. */
  before: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  status: z.enum(runStatuses).optional(),
});

export const runIdInput = z.strictObject({ id: z.string().min(1).max(64) });
