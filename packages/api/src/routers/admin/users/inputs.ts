import { z } from 'zod';

/** Bulk actions take up to 200 ids: one approval-queue page selected, with room to spare. */
export const personIdsInput = z.array(z.string().min(1).max(64)).min(1).max(200);

export const reasonInput = z
  .string()
  .trim()
  .min(1, 'Give a reason; the person sees it.')
  .max(1000, 'Keep the reason under 1,000 characters.');
