import type { BulkResult } from '@pocket-smyth/core';
import { AppError } from '@pocket-smyth/core';
import { z } from 'zod';

/**
 * Bulk actions take up to 1,000 ids: a whole wave of sign-ups approved at once (the domain changes them
 * 200 to a transaction and enqueues each group's jobs in one batch).
 */
export const personIdsInput = z.array(z.string().min(1).max(64)).min(1).max(1000);

export const reasonInput = z
  .string()
  .trim()
  .min(1, 'Give a reason; the person sees it.')
  .max(1000, 'Keep the reason under 1,000 characters.');

/** The single-person REST routes answer with the HTTP status of the one result. */
export function singleResult(results: BulkResult[]): {
  id: string;
  status: Extract<BulkResult, { ok: true }>['status'];
} {
  const [result] = results;
  if (!result) throw new AppError('INTERNAL_SERVER_ERROR', 'No result');
  if (!result.ok) throw new AppError(result.code, result.message);
  return { id: result.id, status: result.status };
}
