import { findPersonById, normalizeEmail, recordSignIn, registerPerson } from '@pocket-smyth/core';
import { type Db, sessions, users } from '@pocket-smyth/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { SESSION_MAX_AGE_SECONDS } from './session-cookie';
import type { AuthSettings } from './settings';

export const devSignInInput = z.object({ email: z.email('Enter a valid email address.').max(320) });

/**
 * Development sign-in by email alone: finds or creates the person and opens a database session, the
 * same row Auth.js would write, so everything downstream behaves as after a real sign-in. The caller
 * sets the cookie. Only reachable when `settings.devLogin` is on (never in production).
 */
export async function createDevSession(
  db: Db,
  settings: Pick<AuthSettings, 'adminEmails' | 'devLogin'>,
  rawEmail: string,
): Promise<{ sessionToken: string; expires: Date }> {
  if (!settings.devLogin) throw new Error('Development sign-in is disabled.');
  const email = normalizeEmail(devSignInInput.parse({ email: rawEmail }).email);
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  const person = existing
    ? await findPersonById(db, existing.id)
    : await registerPerson(db, { email }, { adminEmails: settings.adminEmails });
  if (!person) throw new Error('Person vanished during sign-in.');
  const sessionToken = crypto.randomUUID();
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.insert(sessions).values({ sessionToken, userId: person.id, expires });
  await recordSignIn(db, person, 'dev');
  return { sessionToken, expires };
}
