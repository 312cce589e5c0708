import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth';

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * One-off agent-hours an admin adds to one person's quota for one calendar month (docs/ARCHITECTURE.md,
 * "Plans and quotas"). Audited as `quota.topup_granted`; the activity log keeps them after the person.
 */
export const agentQuotaTopUps = sqliteTable(
  'agent_quota_topups',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The UTC calendar month it counts in, 'YYYY-MM'. */
    period: text('period').notNull(),
    agentHours: real('agent_hours').notNull(),
    reason: text('reason').notNull(),
    grantedById: text('granted_by_id'),
    grantedByLabel: text('granted_by_label'),
    grantedAt: integer('granted_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    index('agent_quota_topups_user_period_idx').on(t.userId, t.period),
    check('agent_quota_topups_hours_positive', sql`${t.agentHours} > 0`),
  ],
);

/**
 * What the quota check did for a person in a month, so each notice is sent once: the 80% warning, the
 * exhaustion (mail and stop), and whether the agent was stopped by the quota, which is what lets it start
 * again by itself (a person's own stop is never undone).
 */
export const agentQuotaPeriods = sqliteTable(
  'agent_quota_periods',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    warnedAt: integer('warned_at', { mode: 'timestamp_ms' }),
    exhaustedAt: integer('exhausted_at', { mode: 'timestamp_ms' }),
    /** The quota set the agent's desired state to `stopped`; cleared when it starts it again. */
    stoppedAgent: integer('stopped_agent', { mode: 'boolean' }).notNull().default(false),
    restartedAt: integer('restarted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.period] }),
    index('agent_quota_periods_stopped_idx').on(t.stoppedAgent),
  ],
);
