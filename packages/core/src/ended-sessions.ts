import { createHash } from 'node:crypto';
import { type DbOrTx, endedSessions, sessions } from '@pocket-smyth/db';
import { and, eq, gt, lte } from 'drizzle-orm';
import { findPersonById, type Person } from './people-queries';

/**
 * Ended sessions (docs/ARCHITECTURE.md, "Lifecycles"): when an admin ends someone's sessions, the
 * session rows go (the cookie grants nothing from that moment) and each token's SHA-256 is kept until
 * the session would have expired, so the tab still holding the cookie can say why it was signed out.
 * Revocations are rare, so each one also drops the notices that have run out; no cron job is needed.
 */

function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Ends every session of `personId`, remembering why; inside the caller's transaction. */
export async function endSessionsOf(
  tx: DbOrTx,
  personId: string,
  reason: (typeof endedSessions.$inferInsert)['reason'],
  now = new Date(),
): Promise<number> {
  const ended = await tx
    .delete(sessions)
    .where(eq(sessions.userId, personId))
    .returning({ token: sessions.sessionToken, expires: sessions.expires });
  const stillValid = ended.filter((s) => s.expires > now);
  if (stillValid.length > 0) {
    await tx
      .insert(endedSessions)
      .values(
        stillValid.map((s) => ({
          tokenHash: hashSessionToken(s.token),
          userId: personId,
          reason,
          endedAt: now,
          expiresAt: s.expires,
        })),
      )
      .onConflictDoNothing();
  }
  await tx.delete(endedSessions).where(lte(endedSessions.expiresAt, now));
  return ended.length;
}

export interface EndedSessionNotice {
  reason: (typeof endedSessions.$inferSelect)['reason'];
  endedAt: Date;
  /** The person as they are now (they may have been restored since). */
  person: Person;
}

/**
 * Why the session behind `token` was ended, for the holder of that cookie only; null when it was not
 * ended by an admin (unknown, signed out, expired) or the person is gone.
 */
export async function findEndedSession(
  db: DbOrTx,
  token: string | undefined,
  now = new Date(),
): Promise<EndedSessionNotice | null> {
  if (!token || token.length > 512) return null;
  const [row] = await db
    .select()
    .from(endedSessions)
    .where(and(eq(endedSessions.tokenHash, hashSessionToken(token)), gt(endedSessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  const person = await findPersonById(db, row.userId);
  return person ? { reason: row.reason, endedAt: row.endedAt, person } : null;
}
