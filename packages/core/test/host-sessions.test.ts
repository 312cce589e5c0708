/**
 * The host-session handshake's storage (docs/ARCHITECTURE.md, "Security rules"): codes are single-use,
 * short-lived and bound to one host and one portal session; host sessions live only as long as their
 * portal session, so signing out and revocation end them at once.
 */
import { hostSessionCodes, hostSessions, sessions } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  exchangeHostSessionCode,
  extendHostSession,
  findHostSession,
  HOST_SESSION_CODE_TTL_MS,
  hashHostSecret,
  mintHostSessionCode,
  type Person,
  registerPerson,
  revokePerson,
  signOutHostSession,
  systemActor,
} from '../src/index';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let handle: TestDb;
let admin: Person;
let alice: Person;
const DAY = 86_400_000;

async function openSession(person: Person, ttl = 30 * DAY): Promise<string> {
  const sessionToken = crypto.randomUUID();
  await handle.db
    .insert(sessions)
    .values({ sessionToken, userId: person.id, expires: new Date(Date.now() + ttl) });
  return sessionToken;
}

/** Mints and exchanges a code: the whole handshake, as the two routes run it. */
async function handshake(person: Person, sessionToken: string, host: string) {
  const minted = await mintHostSessionCode(handle.db, { sessionToken, userId: person.id, host });
  if (!minted) throw new Error('no code');
  const session = await exchangeHostSessionCode(handle.db, { code: minted.code, host });
  if (!session) throw new Error('no session');
  return session;
}

beforeEach(async () => {
  handle = await createTestDb();
  // The first person is an admin; ADMIN_EMAILS makes alice active at once too (revocation needs that).
  admin = await registerPerson(handle.db, { email: 'root@example.com' }, { adminEmails: [] });
  alice = await registerPerson(
    handle.db,
    { email: 'alice@example.com' },
    { adminEmails: ['alice@example.com'] },
  );
});
afterEach(() => handle.cleanup());

describe('host-session codes', () => {
  it('are minted only for a valid portal session of that person, for a valid host name', async () => {
    const token = await openSession(alice);
    expect(
      await mintHostSessionCode(handle.db, { sessionToken: token, userId: admin.id, host: 'alice' }),
    ).toBeNull();
    expect(
      await mintHostSessionCode(handle.db, {
        sessionToken: 'not-a-session',
        userId: alice.id,
        host: 'alice',
      }),
    ).toBeNull();
    const expired = await openSession(alice, -1000);
    expect(
      await mintHostSessionCode(handle.db, { sessionToken: expired, userId: alice.id, host: 'alice' }),
    ).toBeNull();
    await expect(
      mintHostSessionCode(handle.db, { sessionToken: token, userId: alice.id, host: 'evil.example' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const minted = await mintHostSessionCode(handle.db, {
      sessionToken: token,
      userId: alice.id,
      host: 'Alice',
    });
    expect(minted?.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(minted!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(HOST_SESSION_CODE_TTL_MS);
    // Only the hash is stored.
    const rows = await handle.db.select().from(hostSessionCodes);
    expect(rows).toEqual([
      expect.objectContaining({ codeHash: hashHostSecret(minted!.code), host: 'alice' }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(minted!.code);
  });

  it('are exchanged once, on their own host only, within a minute', async () => {
    const token = await openSession(alice);
    const mint = () =>
      mintHostSessionCode(handle.db, { sessionToken: token, userId: alice.id, host: 'alice' });

    const once = (await mint())!;
    const session = await exchangeHostSessionCode(handle.db, { code: once.code, host: 'alice' });
    expect(session).toMatchObject({ userId: alice.id, sessionToken: token });
    expect(session?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await exchangeHostSessionCode(handle.db, { code: once.code, host: 'alice' })).toBeNull();

    // Shown to another host, a code is refused there and burnt for its own.
    const stray = (await mint())!;
    expect(await exchangeHostSessionCode(handle.db, { code: stray.code, host: 'bob' })).toBeNull();
    expect(await exchangeHostSessionCode(handle.db, { code: stray.code, host: 'alice' })).toBeNull();

    const late = (await mint())!;
    const later = new Date(Date.now() + HOST_SESSION_CODE_TTL_MS + 1);
    expect(
      await exchangeHostSessionCode(handle.db, { code: late.code, host: 'alice', now: later }),
    ).toBeNull();

    // Signed out between the two redirects: no host session.
    const orphan = (await mint())!;
    await handle.db.delete(sessions).where(eq(sessions.sessionToken, token));
    expect(await exchangeHostSessionCode(handle.db, { code: orphan.code, host: 'alice' })).toBeNull();
    expect(await exchangeHostSessionCode(handle.db, { code: 'x'.repeat(43), host: 'alice' })).toBeNull();
  });
});

describe('host sessions', () => {
  it('are found on their own host only, and store only the token’s hash', async () => {
    const token = await openSession(alice);
    const session = await handshake(alice, token, 'alice');
    expect(await findHostSession(handle.db, { token: session.token, host: 'alice' })).toMatchObject({
      userId: alice.id,
      sessionToken: token,
    });
    expect(await findHostSession(handle.db, { token: session.token, host: 'ALICE' })).not.toBeNull();
    expect(await findHostSession(handle.db, { token: session.token, host: 'bob' })).toBeNull();
    // The portal session's own token is no host session.
    expect(await findHostSession(handle.db, { token, host: 'alice' })).toBeNull();
    expect(await findHostSession(handle.db, { token: null, host: 'alice' })).toBeNull();
    const [row] = await handle.db.select().from(hostSessions);
    expect(row?.tokenHash).toBe(hashHostSecret(session.token));
    // It ends with the portal session, not later.
    expect(row?.expiresAt.getTime()).toBe(session.expiresAt.getTime());
    const past = new Date(session.expiresAt.getTime() + 1);
    expect(await findHostSession(handle.db, { token: session.token, host: 'alice', now: past })).toBeNull();
  });

  it('end at once when the portal session does: sign-out on the portal, or a revocation', async () => {
    const first = await openSession(alice);
    const onPortal = await handshake(alice, first, 'alice');
    // Auth.js's sign-out on login.DOMAIN deletes the portal session row.
    await handle.db.delete(sessions).where(eq(sessions.sessionToken, first));
    expect(await findHostSession(handle.db, { token: onPortal.token, host: 'alice' })).toBeNull();

    const second = await openSession(alice);
    const revoked = await handshake(alice, second, 'alice');
    const adminSession = await openSession(admin);
    const adminOnAlice = await handshake(admin, adminSession, 'alice');
    await revokePerson(
      handle.db,
      { actor: systemActor, requestId: null, ip: null, enqueue: async () => {} },
      alice.id,
      'test',
    );
    expect(await findHostSession(handle.db, { token: revoked.token, host: 'alice' })).toBeNull();
    // Someone else's host session on that host is theirs, and stays.
    expect(await findHostSession(handle.db, { token: adminOnAlice.token, host: 'alice' })).not.toBeNull();
  });

  it('slide, with the portal session behind them, while in use', async () => {
    const token = await openSession(alice, 2 * DAY);
    const session = await handshake(alice, token, 'alice');
    const later = new Date(Date.now() + DAY);
    const extended = await extendHostSession(handle.db, {
      token: session.token,
      host: 'alice',
      maxAgeMs: 30 * DAY,
      now: later,
    });
    expect(extended?.getTime()).toBe(later.getTime() + 30 * DAY);
    const afterOldExpiry = new Date(Date.now() + 3 * DAY);
    expect(
      await findHostSession(handle.db, { token: session.token, host: 'alice', now: afterOldExpiry }),
    ).not.toBeNull();
    const [portal] = await handle.db.select().from(sessions).where(eq(sessions.sessionToken, token));
    expect(portal?.expires.getTime()).toBe(extended?.getTime());
    // Not on another host, and not once ended.
    expect(
      await extendHostSession(handle.db, { token: session.token, host: 'bob', maxAgeMs: DAY }),
    ).toBeNull();
    await handle.db.delete(sessions).where(eq(sessions.sessionToken, token));
    expect(
      await extendHostSession(handle.db, { token: session.token, host: 'alice', maxAgeMs: DAY }),
    ).toBeNull();
  });

  it('signing out on a host ends the portal session and every host session made from it', async () => {
    const token = await openSession(alice);
    const onAlice = await handshake(alice, token, 'alice');
    const elsewhere = await handshake(alice, token, 'alice');
    const other = await openSession(alice);
    const untouched = await handshake(alice, other, 'alice');
    expect(await signOutHostSession(handle.db, { token: onAlice.token, host: 'bob' })).toBe(false);
    expect(await signOutHostSession(handle.db, { token: onAlice.token, host: 'alice' })).toBe(true);
    expect(await handle.db.select().from(sessions).where(eq(sessions.sessionToken, token))).toEqual([]);
    expect(await findHostSession(handle.db, { token: elsewhere.token, host: 'alice' })).toBeNull();
    expect(await findHostSession(handle.db, { token: untouched.token, host: 'alice' })).not.toBeNull();
    expect(await signOutHostSession(handle.db, { token: onAlice.token, host: 'alice' })).toBe(false);
  });
});
