import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sessions, users } from './auth';

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * The host-session handshake (docs/ARCHITECTURE.md, "Security rules"): `login.DOMAIN` mints a code for
 * one `{username}.DOMAIN` and one portal session; that host exchanges it, once, within a minute, for a
 * host session. Only the code's SHA-256 is stored. Ending the portal session removes its codes.
 */
export const hostSessionCodes = sqliteTable(
  'host_session_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    /** The username whose host the code is for (lowercase). */
    host: text('host').notNull(),
    sessionToken: text('session_token')
      .notNull()
      .references(() => sessions.sessionToken, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('host_session_codes_session_idx').on(t.sessionToken)],
);

/**
 * A host-only session on one `{username}.DOMAIN`, behind that host's own cookie (only its SHA-256 is
 * stored). It lives only as long as the portal session it was made from: every check joins `sessions`,
 * so signing out or a revocation on the portal ends it at once, and deleting the portal session
 * deletes it.
 */
export const hostSessions = sqliteTable(
  'host_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    /** The username whose host the session is on (lowercase). */
    host: text('host').notNull(),
    sessionToken: text('session_token')
      .notNull()
      .references(() => sessions.sessionToken, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    index('host_sessions_session_idx').on(t.sessionToken),
    index('host_sessions_user_idx').on(t.userId),
  ],
);
