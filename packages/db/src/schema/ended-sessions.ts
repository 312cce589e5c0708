import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth';

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/** Why a session was ended by someone other than its holder. */
export const sessionEndReasons = ['revoked'] as const;

/**
 * Sessions an admin ended (docs/ARCHITECTURE.md, "Lifecycles": revoking ends every session at once).
 * The session row itself is deleted, so the cookie grants nothing; this row only lets the tab that still
 * holds the cookie be told why, instead of dropping to sign-in silently. Only the token's SHA-256 is
 * kept, until the session would have expired; it goes with the person.
 */
export const endedSessions = sqliteTable(
  'ended_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: sessionEndReasons }).notNull(),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }).notNull().default(now),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('ended_sessions_user_idx').on(t.userId), index('ended_sessions_expires_idx').on(t.expiresAt)],
);
