// Auth.js tables (shape required by @auth/drizzle-adapter), with the person's own columns on `users`.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Preferences } from '../preferences';
import { plans } from './plans';

export const personRoles = ['user', 'admin'] as const;
export type PersonRole = (typeof personRoles)[number];

/**
 * onboarding → pending → active; pending → rejected; active ⇄ revoked. Deleted = row removed.
 * (docs/ARCHITECTURE.md, "Lifecycles")
 */
export const personStatuses = ['onboarding', 'pending', 'active', 'rejected', 'revoked'] as const;
export type PersonStatus = (typeof personStatuses)[number];

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

export const users = sqliteTable(
  'users',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text('name'),
    email: text('email').notNull(),
    emailVerified: integer('email_verified', { mode: 'timestamp_ms' }),
    image: text('image'),
    // Stored lowercase; the unique index is on lower() so no case variant can slip in.
    username: text('username'),
    role: text('role', { enum: personRoles }).notNull().default('user'),
    status: text('status', { enum: personStatuses }).notNull().default('onboarding'),
    // Why the person was rejected or revoked; shown to them.
    statusReason: text('status_reason'),
    preferences: text('preferences', { mode: 'json' }).$type<Preferences>().notNull().default(sql`'{}'`),
    /** The person's plan (docs/ARCHITECTURE.md, "Plans and quotas"); set to the default one on insert. */
    planId: text('plan_id').references(() => plans.id),
    requestedAt: integer('requested_at', { mode: 'timestamp_ms' }),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(sql`lower(${t.email})`),
    uniqueIndex('users_username_unique').on(sql`lower(${t.username})`),
    index('users_status_created_idx').on(t.status, t.createdAt, t.id),
    index('users_created_idx').on(t.createdAt, t.id),
    index('users_plan_idx').on(t.planId),
  ],
);

export const accounts = sqliteTable(
  'accounts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').$type<'oauth' | 'oidc' | 'email' | 'webauthn'>().notNull(),
    provider: text('provider').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    refresh_token: text('refresh_token'),
    access_token: text('access_token'),
    expires_at: integer('expires_at'),
    token_type: text('token_type'),
    scope: text('scope'),
    id_token: text('id_token'),
    session_state: text('session_state'),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerAccountId] }),
    index('accounts_user_idx').on(t.userId),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    sessionToken: text('session_token').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const verificationTokens = sqliteTable(
  'verification_tokens',
  {
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);
