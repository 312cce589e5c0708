import { z } from 'zod';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/**
 * Writes a person's attributes to the identity provider outside a run (e.g. a username change).
 * Without a configured provider there is nothing to do.
 */
export const idpSync = defineJob({
  name: 'idp.sync',
  payload: z.object({
    personId: z.string().min(1).max(64),
    username: z.string().min(1).max(64),
    status: z.string().min(1).max(32),
    agentUrl: z.string().url().nullable(),
  }),
  key: (payload) => `idp:${payload.personId}`,
  maxAttempts: 8,
  handler: async (payload, { deps, signal }: JobContext<JobDeps>) => {
    if (!deps.idp) return;
    await deps.idp.syncPerson(payload, { signal });
  },
});
