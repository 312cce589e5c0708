import { sql } from 'drizzle-orm';
import { check, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth';

/**
 * A person's environment variables for their agent (docs/ARCHITECTURE.md, "Agent secrets"). The value is
 * never stored in plain text: `value_sealed` is AES-256-GCM under AGENT_SECRETS_KEY (`v1.…`, bound to
 * the person and the name), and `last4` its last four characters, the only part ever shown back.
 * Keyed by the person, not the agent row: they outlive a deprovisioned agent and go with the person.
 */
export const agentEnvVars = sqliteTable(
  'agent_env_vars',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    valueSealed: text('value_sealed').notNull(),
    last4: text('last4').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`),
    /** Who last set it: the person themselves or an admin (a user id; null once that person is gone). */
    updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.name] }),
    // Never a plain value by mistake: only the sealed format is accepted.
    check('agent_env_vars_sealed', sql`${t.valueSealed} like 'v1.%'`),
  ],
);

/**
 * What a sealed value is bound to (AES-GCM associated data): its purpose, its person and its name, so a
 * value copied into another row does not decrypt. The portal seals with it (packages/core) and the worker
 * opens with it (packages/jobs).
 */
export function agentEnvSealContext(userId: string, name: string): string {
  return `pocket-smyth/agent-env/v1\0${userId}\0${name}`;
}
