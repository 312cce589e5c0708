/**
 * Revocation ends a person's sessions at once, and the tab still holding one of those cookies can be
 * told why (docs/ARCHITECTURE.md, "Lifecycles"): only by that cookie, only until it would have expired.
 */
import { endedSessions, sessions } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deletePerson,
  findEndedSession,
  type Person,
  registerPerson,
  restorePerson,
  revokePerson,
  systemActor,
} from '../src/index';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let handle: TestDb;
let alice: Person;
const DAY = 86_400_000;
const deps = { actor: systemActor, requestId: null, ip: null, enqueue: async () => {} };

async function openSession(person: Person, ttl = 30 * DAY): Promise<string> {
  const sessionToken = crypto.randomUUID();
  await handle.db
    .insert(sessions)
    .values({ sessionToken, userId: person.id, expires: new Date(Date.now() + ttl) });
  return sessionToken;
}

beforeEach(async () => {
  handle = await createTestDb();
  await registerPerson(handle.db, { email: 'root@example.com' }, { adminEmails: [] });
  alice = await registerPerson(
    handle.db,
    { email: 'alice@example.com' },
    { adminEmails: ['alice@example.com'] },
  );
});
afterEach(() => handle.cleanup());

describe('ended sessions', () => {
  it('a revoked person’s cookies grant nothing, but each one can learn it was revoked, with the reason', async () => {
    const phone = await openSession(alice);
    const laptop = await openSession(alice, 2 * DAY);
    await revokePerson(handle.db, deps, alice.id, 'Left the team');

    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, alice.id))).toEqual([]);
    for (const token of [phone, laptop]) {
      const notice = await findEndedSession(handle.db, token);
      expect(notice?.reason).toBe('revoked');
      expect(notice?.person.id).toBe(alice.id);
      expect(notice?.person.statusReason).toBe('Left the team');
    }
    // Only the hash is stored.
    const stored = await handle.db.select().from(endedSessions);
    expect(stored).toHaveLength(2);
    expect(stored.map((r) => r.tokenHash)).not.toContain(phone);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
  });

  it('says nothing for an unknown, signed-out or run-out cookie', async () => {
    const token = await openSession(alice, 2 * DAY);
    const signedOut = await openSession(alice);
    await handle.db.delete(sessions).where(eq(sessions.sessionToken, signedOut));
    await revokePerson(handle.db, deps, alice.id, 'x');

    expect(await findEndedSession(handle.db, undefined)).toBeNull();
    expect(await findEndedSession(handle.db, 'not-a-session')).toBeNull();
    expect(await findEndedSession(handle.db, signedOut)).toBeNull();
    expect(await findEndedSession(handle.db, 'x'.repeat(10_000))).toBeNull();
    // After the session would have expired, the notice is gone too.
    expect(await findEndedSession(handle.db, token, new Date(Date.now() + 3 * DAY))).toBeNull();
  });

  it('shows the person as they are now: restored, the notice says so; deleted, it is gone', async () => {
    const token = await openSession(alice);
    await revokePerson(handle.db, deps, alice.id, 'x');
    await restorePerson(handle.db, deps, alice.id);
    expect((await findEndedSession(handle.db, token))?.person.status).toBe('active');

    await deletePerson(handle.db, deps, alice.id, 'alice@example.com');
    expect(await findEndedSession(handle.db, token)).toBeNull();
    expect(await handle.db.select().from(endedSessions)).toEqual([]);
  });

  it('a later revocation drops the notices that have run out', async () => {
    const soon = await openSession(alice, 1_000);
    await revokePerson(handle.db, deps, alice.id, 'x');
    await restorePerson(handle.db, deps, alice.id);
    expect(await handle.db.select().from(endedSessions)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_100));
    await revokePerson(handle.db, deps, alice.id, 'again');
    expect(await handle.db.select().from(endedSessions)).toEqual([]);
    expect(await findEndedSession(handle.db, soon)).toBeNull();
  });
});
