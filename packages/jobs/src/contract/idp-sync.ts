import { z } from 'zod';
import { defineJobSpec } from './job-spec';

/**
 * Writes a person's attributes (username, status, agent URL) to the identity provider after every
 * change of their status. Only the person's id travels: the handler reads their current state when it
 * runs, so a late or repeated job writes the newest status, never a stale one. A deleted person has no
 * row left to read, so `deleted` carries what the identity provider needs to find and mark them.
 */
export const idpSyncSpec = defineJobSpec({
  name: 'idp.sync',
  payload: z.object({
    personId: z.string().min(1).max(64),
    deleted: z
      .object({ email: z.string().min(3).max(320), username: z.string().min(1).max(64).nullable() })
      .optional(),
  }),
  key: (payload) => `idp:${payload.personId}` as const,
  maxAttempts: 8,
});
