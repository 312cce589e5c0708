import { users } from '@pocket-smyth/db';
import { sql } from 'drizzle-orm';
import { idpSyncSpec } from '../contract/idp-sync';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';
import { writeCurrentIdentity } from '../identity';

/**
 * Writes a person's attributes to the identity provider after a change of their status (onboarding,
 * approval, rejection, revocation, restoration, deletion). The handler reads the person's state when it
 * runs, so only the newest status is ever written, however late the job. Without a configured provider
 * there is nothing to do.
 */
export const idpSync = defineJob(idpSyncSpec, async (payload, { deps, signal }: JobContext<JobDeps>) => {
  if (!deps.idp) return;
  const written = await writeCurrentIdentity(deps, deps.idp, payload.personId, { signal });
  if (written || !payload.deleted) return;
  const { email, username } = payload.deleted;
  // The address signed up again after the deletion: that new person's own sync writes their state.
  const [again] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  if (again) return;
  await deps.idp.syncPerson(
    { personId: payload.personId, email, username, status: 'deleted', agentUrl: null },
    { signal },
  );
});
