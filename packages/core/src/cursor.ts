import { z } from 'zod';
import { badRequest } from './errors';

/**
 * Keyset cursors: an opaque base64url string holding the sort key of the last row served, so pages
 * stay stable while rows are inserted or removed.
 */
const keySchema = z.tuple([z.number().int(), z.string().max(64)]);
export type CursorKey = z.infer<typeof keySchema>;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    return keySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('The cursor is not valid; start again from the first page.', { field: 'cursor' });
  }
}

export const cursorInput = z.string().max(200).optional();
export const limitInput = z.number().int().min(1).max(100).default(25);

/** tRPC's infinite queries send the paging direction with every page; inputs are strict, so name it. */
export const directionInput = z.enum(['forward', 'backward']).optional();
