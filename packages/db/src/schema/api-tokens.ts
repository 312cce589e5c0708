import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';

/**
 * Personal API tokens. The secret itself is never stored: only its SHA-256 (the secret has 256 bits of
 * entropy, so a fast hash is enough) and a short prefix to recognise it in lists. Deleting the owner
 * deletes their tokens.
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the secret, shown in lists ("pst_ab12…"). */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    lastUsedIp: text('last_used_ip'),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokedBy: text('revoked_by'),
  },
  (t) => [
    uniqueIndex('api_tokens_hash_unique').on(t.secretHash),
    index('api_tokens_user_idx').on(t.userId, t.createdAt),
  ],
);

/**
 * Fixed-window request counters, shared by every web instance through the database rather than kept
 * in one process's memory. One row per key (a token or a client address); the window start tells
 * whether the count belongs to the current window.
 */
export const rateLimitCounters = sqliteTable('rate_limit_counters', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});
