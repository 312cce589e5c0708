import { agents, users } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import type { CallOptions, IdentityAttributes, IdentityProvider, JobDeps } from './deps';

/**
 * The attributes the identity provider should hold for a person, read from libSQL now: their username,
 * their status, and their agent's URL while they are active and their agent is meant to run (the URL is
 * fixed by the username, so it is known from approval on). Null when there is nothing to write: the
 * person no longer exists, or has no username yet (onboarding).
 */
export async function currentIdentity(
  deps: Pick<JobDeps, 'db' | 'agentUrl'>,
  personId: string,
): Promise<IdentityAttributes | null> {
  const [row] = await deps.db
    .select({ username: users.username, status: users.status, desiredState: agents.desiredState })
    .from(users)
    .leftJoin(agents, eq(agents.userId, users.id))
    .where(eq(users.id, personId))
    .limit(1);
  if (!row?.username) return null;
  const agentUrl =
    row.status === 'active' && row.desiredState === 'running' ? deps.agentUrl(row.username) : null;
  return { personId, username: row.username, status: row.status, agentUrl };
}

function sameIdentity(a: IdentityAttributes, b: IdentityAttributes): boolean {
  return a.username === b.username && a.status === b.status && a.agentUrl === b.agentUrl;
}

/** Writes after which the state still moved are left to the `idp.sync` of the change that moved it. */
const maxWrites = 3;

/**
 * Writes the person's current attributes (`currentIdentity`) to the identity provider, then reads them
 * again: if a change committed while the write was on its way, it writes again. Every writer (the
 * `idp.sync` job and the identity step of agent runs) goes through here, so whichever write lands last
 * was read after the last change it could have missed: the newest status wins, whatever order the jobs
 * ran in. Returns what it wrote last, or null when there was nothing to write.
 */
export async function writeCurrentIdentity(
  deps: Pick<JobDeps, 'db' | 'agentUrl'>,
  idp: IdentityProvider,
  personId: string,
  options: CallOptions,
): Promise<IdentityAttributes | null> {
  let current = await currentIdentity(deps, personId);
  for (let write = 1; current; write++) {
    await idp.syncPerson(current, options);
    const after = await currentIdentity(deps, personId);
    // Gone meanwhile: the deletion's own `idp.sync` marks them deleted.
    if (!after || sameIdentity(after, current) || write === maxWrites) return current;
    current = after;
  }
  return null;
}
