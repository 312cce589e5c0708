/**
 * Person lifecycle (docs/ARCHITECTURE.md, "Person"). Every change runs in one libSQL transaction with its
 * audit event; the state check is part of the UPDATE's WHERE clause, so two admins racing cannot both
 * win. After the commit come the jobs: the agent's, the mail's, and `idp.sync`, which writes the
 * person's new status to the identity provider (it reads the person when it runs, so the newest status
 * wins whatever order the jobs run in).
 */
import {
  agents,
  type Db,
  type DbOrTx,
  type PersonStatus,
  type Preferences,
  preferencesSchema,
  users,
} from '@pocket-smyth/db';
import { type JobRequest, reconcileAgent, syncIdentity } from '@pocket-smyth/jobs/contract';
import { and, eq } from 'drizzle-orm';
import { revokeTokensOfPerson } from './api-tokens';
import { recordAudit } from './audit';
import { endSessionsOf } from './ended-sessions';
import { AppError, badRequest, conflict, forbidden } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import { decisionMail, queueMail, queueNewSignupNotes } from './notifications';
import {
  findAgentByPersonId,
  findPersonByUsername,
  getPersonById,
  type Person,
  personSnapshot,
} from './people-queries';
import type { ChangeDeps } from './ports';
import { foldUsername, usernameProblems } from './usernames';

const describe = (p: Person) => p.username ?? p.email;

function wrongState(p: Person, expected: string): AppError {
  return conflict(`${describe(p)} is ${p.status}, not ${expected}.`, { status: p.status });
}

/**
 * Sets the agent's desired state, creating the row on first approval. Returns the agent id. A pending
 * restart request is dropped: the new intent replaces it (and the agent job it brings replaces a
 * waiting restart job under the same key).
 */
async function setAgentDesired(
  tx: DbOrTx,
  person: Person,
  desiredState: 'running' | 'stopped' | 'absent',
): Promise<string | null> {
  const now = new Date();
  const existing = await findAgentByPersonId(tx, person.id);
  if (existing) {
    await tx
      .update(agents)
      .set({ desiredState, desiredAt: now, restartRequestedAt: null, updatedAt: now })
      .where(eq(agents.id, existing.id));
    return existing.id;
  }
  if (desiredState !== 'running' || !person.username) return null;
  const [created] = await tx
    .insert(agents)
    .values({ userId: person.id, username: person.username, desiredState, desiredAt: now })
    .returning({ id: agents.id });
  return created?.id ?? null;
}

/** Runs `change` in a transaction; a unique-constraint failure on the username becomes a CONFLICT. */
async function inTransaction<T>(db: Db, change: (tx: DbOrTx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(change);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (String((error as { message?: string })?.message).includes('users_username_unique')) {
      throw conflict('That username is taken.', { rule: 'taken' });
    }
    throw error;
  }
}

export interface OnboardingInput {
  username: string;
  preferences?: Preferences;
}

/**
 * Onboarding → pending. An admin made active at first sign-in only picks a username here and gets an
 * agent at once, since nobody needs to approve them.
 */
export async function completeOnboarding(
  db: Db,
  deps: ChangeDeps,
  personId: string,
  input: OnboardingInput,
): Promise<Person> {
  const username = foldUsername(input.username);
  const problems = usernameProblems(username);
  if (problems.length > 0) throw badRequest(problems[0]!.message, { rule: problems[0]!.rule, problems });
  const preferences = preferencesSchema.parse(input.preferences ?? {});

  const jobs: JobRequest[] = [];
  const person = await inTransaction(db, async (tx) => {
    const before = await getPersonById(tx, personId);
    const adminWithoutName = before.status === 'active' && before.username === null;
    if (before.status !== 'onboarding' && !adminWithoutName) {
      throw conflict(`You have already finished onboarding (your account is ${before.status}).`, {
        status: before.status,
      });
    }
    const taken = await findPersonByUsername(tx, username);
    if (taken && taken.id !== personId) throw conflict('That username is taken.', { rule: 'taken' });

    const now = new Date();
    const status: PersonStatus = adminWithoutName ? 'active' : 'pending';
    await tx
      .update(users)
      .set({
        username,
        preferences: { ...before.preferences, ...preferences },
        status,
        requestedAt: adminWithoutName ? before.requestedAt : now,
        updatedAt: now,
      })
      .where(eq(users.id, personId));
    const after = await getPersonById(tx, personId);
    if (adminWithoutName) {
      const agentId = await setAgentDesired(tx, after, 'running');
      if (agentId) jobs.push(reconcileAgent(agentId));
    } else {
      jobs.push(...(await queueNewSignupNotes(tx, deps, after)));
    }
    // Pending (or, for an admin, active) with a username: the identity provider learns both.
    jobs.push(syncIdentity(personId));
    await recordAudit(tx, deps, {
      action: 'person.onboarded',
      target: { kind: 'person', id: personId, label: username },
      before: personSnapshot(before),
      after: { ...personSnapshot(after), preferences: after.preferences },
    });
    return after;
  });
  await enqueueAfterCommit(deps, jobs);
  return person;
}

export async function updatePreferences(
  db: Db,
  deps: ChangeDeps,
  personId: string,
  input: Preferences,
): Promise<Person> {
  const preferences = preferencesSchema.parse(input);
  return db.transaction(async (tx) => {
    const before = await getPersonById(tx, personId);
    const merged = { ...before.preferences, ...preferences };
    await tx.update(users).set({ preferences: merged, updatedAt: new Date() }).where(eq(users.id, personId));
    await recordAudit(tx, deps, {
      action: 'person.preferences_updated',
      target: { kind: 'person', id: personId, label: describe(before) },
      before: { preferences: before.preferences },
      after: { preferences: merged },
    });
    return getPersonById(tx, personId);
  });
}

export type BulkResult =
  | { id: string; ok: true; status: PersonStatus }
  | { id: string; ok: false; code: 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN'; message: string };

/** How many people one bulk transaction changes: big enough to batch, small enough not to hold the write lock long. */
const PEOPLE_PER_TRANSACTION = 200;

/** A refusal that concerns one person of a bulk change (and is that person's result), not the request. */
function personRefusal(id: string, error: unknown): BulkResult | null {
  if (
    error instanceof AppError &&
    (error.code === 'NOT_FOUND' || error.code === 'CONFLICT' || error.code === 'FORBIDDEN')
  ) {
    return { id, ok: false, code: error.code, message: error.message };
  }
  return null;
}

/**
 * Applies one transition to many people (docs/ARCHITECTURE.md, "Commit, then enqueue"): up to
 * PEOPLE_PER_TRANSACTION in one transaction, their jobs enqueued in one batch after it commits. A person
 * in the wrong state (or unknown) is refused before anything of theirs is written, and is that id's
 * result; the others go on. Any other error rolls back the whole group and is thrown.
 */
async function transitionMany(
  db: Db,
  deps: ChangeDeps,
  ids: readonly string[],
  t: Transition,
): Promise<BulkResult[]> {
  const unique = [...new Set(ids)];
  const results: BulkResult[] = [];
  for (let i = 0; i < unique.length; i += PEOPLE_PER_TRANSACTION) {
    const group = unique.slice(i, i + PEOPLE_PER_TRANSACTION);
    const jobs: JobRequest[] = [];
    const groupResults = await db.transaction(async (tx) => {
      const out: BulkResult[] = [];
      for (const id of group) {
        try {
          const person = await applyTransition(tx, deps, id, t, jobs);
          out.push({ id, ok: true, status: person.status });
        } catch (error) {
          const refusal = personRefusal(id, error);
          if (!refusal) throw error;
          out.push(refusal);
        }
      }
      return out;
    });
    await enqueueAfterCommit(deps, jobs);
    results.push(...groupResults);
  }
  return results;
}

interface Transition {
  action: string;
  from: PersonStatus;
  to: PersonStatus;
  reason?: string | null;
  agent?: 'running' | 'stopped' | 'absent';
  /** Revocation signs the person out everywhere at once; their open tabs are told why (ended-sessions.ts). */
  endSessions?: 'revoked';
  /**
   * Revocation also revokes every API token of the person, so a restore does not bring them back; the
   * count goes into the audit event's `after` as `tokensRevoked`.
   */
  revokeTokens?: boolean;
}

/** One guarded status change in its own transaction, its jobs enqueued after it commits. */
async function transition(db: Db, deps: ChangeDeps, personId: string, t: Transition): Promise<Person> {
  const jobs: JobRequest[] = [];
  const person = await db.transaction((tx) => applyTransition(tx, deps, personId, t, jobs));
  await enqueueAfterCommit(deps, jobs);
  return person;
}

/**
 * The change itself, inside the caller's transaction; the jobs it needs are added to `jobs`. Whether
 * the person may make it is checked before anything is written (the UPDATE also only matches a row
 * still in `from`), so a refusal leaves the transaction as it found it.
 */
async function applyTransition(
  tx: DbOrTx,
  deps: ChangeDeps,
  personId: string,
  t: Transition,
  jobs: JobRequest[],
): Promise<Person> {
  const before = await getPersonById(tx, personId);
  if (before.status !== t.from) throw wrongState(before, t.from);
  const now = new Date();
  const updated = await tx
    .update(users)
    .set({ status: t.to, statusReason: t.reason ?? null, decidedAt: now, updatedAt: now })
    .where(and(eq(users.id, personId), eq(users.status, t.from)))
    .returning({ id: users.id });
  if (updated.length === 0) throw wrongState(await getPersonById(tx, personId), t.from);
  const after = await getPersonById(tx, personId);
  if (t.agent) {
    const agentId = await setAgentDesired(tx, after, t.agent);
    if (agentId) jobs.push(reconcileAgent(agentId));
  }
  if (t.endSessions) await endSessionsOf(tx, personId, t.endSessions, now);
  const tokensRevoked = t.revokeTokens
    ? await revokeTokensOfPerson(tx, personId, deps.actor.personId, now)
    : null;
  const mail = decisionMail(t.action, after, t.reason ?? null);
  if (mail) jobs.push(...(await queueMail(tx, deps, mail)));
  jobs.push(syncIdentity(personId));
  await recordAudit(tx, deps, {
    action: t.action,
    target: { kind: 'person', id: personId, label: describe(before) },
    before: personSnapshot(before),
    after: tokensRevoked === null ? personSnapshot(after) : { ...personSnapshot(after), tokensRevoked },
  });
  return after;
}

function refuseSelf(deps: ChangeDeps, personId: string, verb: string): void {
  if (deps.actor.personId === personId) throw forbidden(`You cannot ${verb} your own account.`);
}

export function approvePeople(db: Db, deps: ChangeDeps, ids: readonly string[]): Promise<BulkResult[]> {
  return transitionMany(db, deps, ids, {
    action: 'person.approved',
    from: 'pending',
    to: 'active',
    agent: 'running',
  });
}

export function rejectPeople(
  db: Db,
  deps: ChangeDeps,
  ids: readonly string[],
  reason: string,
): Promise<BulkResult[]> {
  return transitionMany(db, deps, ids, {
    action: 'person.rejected',
    from: 'pending',
    to: 'rejected',
    reason,
  });
}

// async so that refusing oneself is a rejected promise, like every other failure, not a synchronous throw.
export async function revokePerson(db: Db, deps: ChangeDeps, id: string, reason: string): Promise<Person> {
  refuseSelf(deps, id, 'revoke');
  return transition(db, deps, id, {
    action: 'person.revoked',
    from: 'active',
    to: 'revoked',
    reason,
    agent: 'stopped',
    endSessions: 'revoked',
    revokeTokens: true,
  });
}

export function restorePerson(db: Db, deps: ChangeDeps, id: string): Promise<Person> {
  return transition(db, deps, id, {
    action: 'person.restored',
    from: 'revoked',
    to: 'active',
    agent: 'running',
  });
}

/**
 * Removes the person row (sessions and accounts go with it). The agent row stays with desired=absent
 * until the worker has removed the container; the activity log keeps everything. The identity provider
 * account is not ours to delete: `idp.sync` marks it `deleted` and clears the agent URL, finding it by
 * the address the job carries (the row that held it is gone).
 */
export async function deletePerson(
  db: Db,
  deps: ChangeDeps,
  id: string,
  confirmation: string,
): Promise<void> {
  refuseSelf(deps, id, 'delete');
  const jobs: JobRequest[] = [];
  await db.transaction(async (tx) => {
    const before = await getPersonById(tx, id);
    const expected = before.username ?? before.email;
    if (confirmation.trim().toLowerCase() !== expected.toLowerCase()) {
      throw badRequest(`Type “${expected}” to confirm the deletion.`, { field: 'confirm' });
    }
    const agentId = await setAgentDesired(tx, before, 'absent');
    if (agentId) jobs.push(reconcileAgent(agentId));
    jobs.push(syncIdentity(id, { email: before.email, username: before.username }));
    await tx.delete(users).where(eq(users.id, id));
    await recordAudit(tx, deps, {
      action: 'person.deleted',
      target: { kind: 'person', id, label: describe(before) },
      before: { ...personSnapshot(before), email: before.email },
      after: null,
    });
  });
  await enqueueAfterCommit(deps, jobs);
}
