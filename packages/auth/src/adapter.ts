import type { Adapter, AdapterUser } from '@auth/core/adapters';
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { normalizeEmail, type Person, registerPerson } from '@pocket-smyth/core';
import { accounts, type Db, sessions, users, verificationTokens } from '@pocket-smyth/db';
import type { AuthSettings } from './settings';

export function toAdapterUser(p: Person): AdapterUser {
  return { id: p.id, email: p.email, emailVerified: p.emailVerified, name: p.name, image: p.image };
}

/**
 * The drizzle adapter, with person creation routed through `registerPerson` (first person and
 * ADMIN_EMAILS become admins, with an activity-log row) and emails compared lowercased, because
 * identity providers do not agree on the case of an address.
 */
export function createAdapter(db: Db, settings: Pick<AuthSettings, 'adminEmails'>): Adapter {
  const base = DrizzleAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  return {
    ...base,
    async createUser(user) {
      const person = await registerPerson(
        db,
        { email: user.email, name: user.name, image: user.image, emailVerified: user.emailVerified },
        { adminEmails: settings.adminEmails },
      );
      return toAdapterUser(person);
    },
    getUserByEmail: (email) => base.getUserByEmail!(normalizeEmail(email)),
  };
}
