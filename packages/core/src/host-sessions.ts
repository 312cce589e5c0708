import { createHash, randomBytes } from 'node:crypto';
import { type Db, hostSessionCodes, hostSessions, sessions } from '@pocket-smyth/db';
import { and, eq, gt, lt, lte } from 'drizzle-orm';
import { badRequest } from './errors';
import { isValidUsername } from './usernames';

/**
 * Host sessions (docs/ARCHITECTURE.md, "Security rules"): in subdomain mode the portal's session cookie
 * is host-only on `login.DOMAIN`, and each `{username}.DOMAIN` gets a cookie of its own through a
 * redirect handshake, so no credential of one host is ever sent to another (an agent's owner controls
 * what runs behind `{username}.DOMAIN/agent/*`).
 *
 *   1. `login.DOMAIN` mints a code for one host and the viewer's portal session (`mintHostSessionCode`),
 *      once the caller has decided the viewer may be on that host.
 *   2. That host exchanges it within a minute, once (`exchangeHostSessionCode`), for a host session
 *      whose token becomes its host-only cookie.
 *   3. Every request on the host finds the session with its portal session (`findHostSession`): signing
 *      out or a revocation, which delete the portal session, end it at once.
 *
 * Codes and tokens are 256 random bits; only their SHA-256 is stored.
 */

export const HOST_SESSION_CODE_TTL_MS = 60_000;

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashHostSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function hostName(host: string): string {
  const name = host.toLowerCase();
  if (!isValidUsername(name)) throw badRequest('Not a person’s host.', { field: 'host' });
  return name;
}

export interface HostSessionFacts {
  userId: string;
  /** The portal session the host session was made from. */
  sessionToken: string;
  expiresAt: Date;
}

/**
 * A single-use code for `host` (a username), bound to the viewer's portal session. Null when that
 * session is not (or no longer) valid. Whether the viewer may be on that host is the caller's rule.
 */
export async function mintHostSessionCode(
  db: Db,
  input: { sessionToken: string; userId: string; host: string; now?: Date },
): Promise<{ code: string; expiresAt: Date } | null> {
  const host = hostName(input.host);
  const now = input.now ?? new Date();
  const code = newSecret();
  const expiresAt = new Date(now.getTime() + HOST_SESSION_CODE_TTL_MS);
  return db.transaction(async (tx) => {
    await tx.delete(hostSessionCodes).where(lte(hostSessionCodes.expiresAt, now));
    const [session] = await tx
      .select({ userId: sessions.userId })
      .from(sessions)
      .where(and(eq(sessions.sessionToken, input.sessionToken), gt(sessions.expires, now)))
      .limit(1);
    if (session?.userId !== input.userId) return null;
    await tx.insert(hostSessionCodes).values({
      codeHash: hashHostSecret(code),
      host,
      sessionToken: input.sessionToken,
      userId: input.userId,
      expiresAt,
      createdAt: now,
    });
    return { code, expiresAt };
  });
}

/**
 * Exchanges a code on `host` for a new host session: its token (the cookie's value) and expiry, which
 * is the portal session's. The code is gone after its first presentation, on whichever host; null when
 * it is unknown, used, expired, for another host, or its portal session has ended.
 */
export async function exchangeHostSessionCode(
  db: Db,
  input: { code: string; host: string; now?: Date },
): Promise<({ token: string } & HostSessionFacts) | null> {
  if (!SECRET_PATTERN.test(input.code)) return null;
  const host = input.host.toLowerCase();
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(hostSessionCodes)
      .where(eq(hostSessionCodes.codeHash, hashHostSecret(input.code)))
      .returning();
    if (!row || row.host !== host || row.expiresAt.getTime() <= now.getTime()) return null;
    const [session] = await tx
      .select({ userId: sessions.userId, expires: sessions.expires })
      .from(sessions)
      .where(and(eq(sessions.sessionToken, row.sessionToken), gt(sessions.expires, now)))
      .limit(1);
    if (session?.userId !== row.userId) return null;
    await tx.delete(hostSessions).where(lte(hostSessions.expiresAt, now));
    const token = newSecret();
    await tx.insert(hostSessions).values({
      tokenHash: hashHostSecret(token),
      host,
      sessionToken: row.sessionToken,
      userId: row.userId,
      expiresAt: session.expires,
      createdAt: now,
    });
    return { token, userId: row.userId, sessionToken: row.sessionToken, expiresAt: session.expires };
  });
}

/** The host session behind `token` on `host`, while it and its portal session are both valid. */
export async function findHostSession(
  db: Db,
  input: { token: string | null | undefined; host: string; now?: Date },
): Promise<HostSessionFacts | null> {
  if (!input.token || !SECRET_PATTERN.test(input.token)) return null;
  const now = input.now ?? new Date();
  const [row] = await db
    .select({
      userId: hostSessions.userId,
      sessionToken: hostSessions.sessionToken,
      expiresAt: hostSessions.expiresAt,
    })
    .from(hostSessions)
    .innerJoin(
      sessions,
      and(
        eq(sessions.sessionToken, hostSessions.sessionToken),
        eq(sessions.userId, hostSessions.userId),
        gt(sessions.expires, now),
      ),
    )
    .where(
      and(
        eq(hostSessions.tokenHash, hashHostSecret(input.token)),
        eq(hostSessions.host, input.host.toLowerCase()),
        gt(hostSessions.expiresAt, now),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Sliding expiry, as Auth.js slides the portal's: a host session in use is extended, with the portal
 * session behind it, to `maxAgeMs` from now. The caller decides when it is due (once a day); the new
 * expiry, or null when the token is no valid session on `host`.
 */
export async function extendHostSession(
  db: Db,
  input: { token: string | null | undefined; host: string; maxAgeMs: number; now?: Date },
): Promise<Date | null> {
  const now = input.now ?? new Date();
  const token = input.token;
  const found = await findHostSession(db, { token, host: input.host, now });
  if (!found || !token) return null;
  const expiresAt = new Date(now.getTime() + input.maxAgeMs);
  await db.transaction(async (tx) => {
    await tx
      .update(sessions)
      .set({ expires: expiresAt })
      .where(and(eq(sessions.sessionToken, found.sessionToken), lt(sessions.expires, expiresAt)));
    await tx
      .update(hostSessions)
      .set({ expiresAt })
      .where(eq(hostSessions.tokenHash, hashHostSecret(token)));
  });
  return expiresAt;
}

/**
 * Signing out on `{username}.DOMAIN`: ends the portal session the host session came from, and with it
 * every host session and code made from it (signing out means everywhere). False when the token is
 * no valid session on `host`.
 */
export async function signOutHostSession(
  db: Db,
  input: { token: string | null | undefined; host: string; now?: Date },
): Promise<boolean> {
  const found = await findHostSession(db, input);
  if (!found) return false;
  await db.transaction(async (tx) => {
    // The foreign keys cascade; deleted explicitly too, so nothing depends on PRAGMA foreign_keys.
    await tx.delete(hostSessionCodes).where(eq(hostSessionCodes.sessionToken, found.sessionToken));
    await tx.delete(hostSessions).where(eq(hostSessions.sessionToken, found.sessionToken));
    await tx.delete(sessions).where(eq(sessions.sessionToken, found.sessionToken));
  });
  return true;
}
