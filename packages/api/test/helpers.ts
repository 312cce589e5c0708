/**
 * Fixtures for the API tests. People are made through the real domain functions (registerPerson,
 * completeOnboarding, approve/reject/revoke), so a fixture in a given state got there the way a real
 * person would, and each test file works on its own fresh libSQL temp file.
 */

import type { Enqueue, JobRequest } from '@pocket-smyth/core';
import {
  approvePeople,
  type ChangeDeps,
  completeOnboarding,
  getPersonById,
  type Person,
  type RegistrationPolicy,
  registerPerson,
  rejectPeople,
  revokePerson,
  systemActor,
} from '@pocket-smyth/core';
import { agents, auditEvents, type Db, sessions, users } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Context, createContext } from '../src/context';
import { createCaller } from '../src/root';

export type TestDb = Awaited<ReturnType<typeof createTestDb>>;

/** The roles a caller can have in the authorization matrix; `admin` is an active admin. */
export const callerRoles = [
  'anonymous',
  'onboarding',
  'pending',
  'active',
  'revoked',
  'rejected',
  'admin',
] as const;
export type CallerRole = (typeof callerRoles)[number];

/** States a fixture person can be put in. */
export type FixtureState = Exclude<CallerRole, 'anonymous'>;

export const noAdminEmails: RegistrationPolicy = { adminEmails: [] };

let sequence = 0;
/** Unique within a test run, so fixtures never collide on the unique email/username indexes. */
export function nextSeq(): number {
  sequence += 1;
  return sequence;
}

/** Deps for fixture changes: attributed to the system, so they are easy to tell from the change under test. */
export const fixtureDeps: ChangeDeps = {
  actor: systemActor,
  requestId: 'fixture',
  ip: null,
  enqueue: async () => {},
};

export interface World {
  db: Db;
  handle: TestDb;
  /** The first person of the install: an active admin with a username. */
  founder: Person;
  cleanup: () => void;
}

/** A fresh migrated database with its founding admin already signed up and named. */
export async function createWorld(): Promise<World> {
  const handle = await createTestDb();
  const registered = await registerPerson(handle.db, { email: 'founder@example.test' }, noAdminEmails);
  const founder = await completeOnboarding(handle.db, fixtureDeps, registered.id, { username: 'founder' });
  return { db: handle.db, handle, founder, cleanup: handle.cleanup };
}

export interface MakePersonOptions {
  email?: string;
  username?: string;
  name?: string;
}

/**
 * A person in `state`, reached through the real transitions. `admin` is an ADMIN_EMAILS admin who has
 * picked a username. Needs a world with a founder, or the first person would become an admin.
 */
export async function makePerson(db: Db, state: FixtureState, opts: MakePersonOptions = {}): Promise<Person> {
  const n = nextSeq();
  const email = opts.email ?? `${state}-${n}@example.test`;
  const username = opts.username ?? `${state}-${n}`;
  const policy: RegistrationPolicy =
    state === 'admin' ? { adminEmails: [email.toLowerCase()] } : noAdminEmails;
  const registered = await registerPerson(db, { email, name: opts.name ?? null }, policy);
  if (state === 'onboarding') return registered;
  const named = await completeOnboarding(db, fixtureDeps, registered.id, { username });
  if (state === 'pending' || state === 'admin') return named;
  if (state === 'rejected') {
    await expectAllOk(rejectPeople(db, fixtureDeps, [named.id], 'Not this time.'));
    return getPersonById(db, named.id);
  }
  await expectAllOk(approvePeople(db, fixtureDeps, [named.id]));
  if (state === 'revoked') await revokePerson(db, fixtureDeps, named.id, 'Misuse.');
  return getPersonById(db, named.id);
}

/** An ADMIN_EMAILS admin straight after sign-in: active, but no username and no agent yet. */
export async function makeUnnamedAdmin(db: Db): Promise<Person> {
  const email = `admin-unnamed-${nextSeq()}@example.test`;
  return registerPerson(db, { email }, { adminEmails: [email] });
}

async function expectAllOk(results: Promise<{ ok: boolean }[]>): Promise<void> {
  for (const r of await results) expect(r).toMatchObject({ ok: true });
}

/** Records every enqueue call, so tests can assert which jobs followed which change. */
export function recordingEnqueue(): { enqueue: Enqueue; calls: JobRequest[][] } {
  const calls: JobRequest[][] = [];
  return {
    calls,
    enqueue: async (jobs) => {
      calls.push(jobs);
    },
  };
}

export interface ContextOptions {
  requestId?: string;
  ip?: string | null;
  enqueue?: Enqueue;
  /** Default: TEST_AGENT_SECRETS_KEY; null: an installation without AGENT_SECRETS_KEY. */
  agentSecretsKey?: string | null;
}

/** The AGENT_SECRETS_KEY the tests' contexts and REST handlers have (32 bytes, hex). */
export const TEST_AGENT_SECRETS_KEY = 'a5'.repeat(32);

export function contextFor(db: Db, person: Person | null, opts: ContextOptions = {}): Context {
  return createContext({
    db,
    principal: person ? { via: 'session', person } : null,
    requestId: opts.requestId ?? `req-${nextSeq()}`,
    ip: opts.ip ?? '203.0.113.7',
    enqueue: opts.enqueue,
    agentSecretsKey: opts.agentSecretsKey === undefined ? TEST_AGENT_SECRETS_KEY : opts.agentSecretsKey,
  });
}

export function callerFor(db: Db, person: Person | null, opts: ContextOptions = {}) {
  return createCaller(contextFor(db, person, opts));
}

/** Deps for calling domain functions directly as `person` (the same shape the router builds). */
export function depsFor(person: Person, opts: ContextOptions = {}): ChangeDeps {
  return {
    actor: { kind: 'person', id: person.id, label: person.email, personId: person.id },
    requestId: opts.requestId ?? `req-${nextSeq()}`,
    ip: opts.ip ?? '203.0.113.7',
    enqueue: opts.enqueue ?? (async () => {}),
  };
}

/** Awaits `promise`, expecting it to reject with a TRPCError of `code`; returns the error. */
export async function expectTRPCError(
  promise: Promise<unknown>,
  code: TRPCError['code'],
): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a TRPCError ${code}`).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  expect(trpcError.code, trpcError.message).toBe(code);
  return trpcError;
}

/** The raw stored row (preferences as stored), for before/after comparisons. */
export async function personRow(db: Db, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function agentRowByPerson(db: Db, personId: string) {
  const [row] = await db.select().from(agents).where(eq(agents.userId, personId));
  return row;
}

/**
 * A target's activity in the order it was written. By rowid, not (at, id): two events in the same
 * millisecond get ids whose random tail orders them arbitrarily, and fixtures often share a millisecond.
 */
export async function auditRowsFor(db: Db, targetId: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(sql`rowid`);
}

export async function auditCount(db: Db): Promise<number> {
  return db.$count(auditEvents);
}

export async function addSession(db: Db, userId: string): Promise<string> {
  const sessionToken = `session-${nextSeq()}`;
  await db.insert(sessions).values({ sessionToken, userId, expires: new Date(Date.now() + 86_400_000) });
  return sessionToken;
}

export async function sessionCount(db: Db, userId: string): Promise<number> {
  return db.$count(sessions, eq(sessions.userId, userId));
}
