import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * When each agent was running (docs/ARCHITECTURE.md, "Usage metering"): one row per stretch, opened when
 * `agents.observed_state` becomes `running` and closed when it leaves it, at the transition's own time
 * (`agents.observed_at`). Written by triggers on `agents` (migration 0007), so no writer of the observed
 * state can forget it. Running time is read from these, never from counting samples, so a worker that was
 * down neither invents nor loses hours. Kept after the person is gone (usage history); pruned once
 * rolled up and older than the hourly retention.
 */
export const agentRunningIntervals = sqliteTable(
  'agent_running_intervals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: text('agent_id').notNull(),
    userId: text('user_id'),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    /** Null while running. */
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
    /** When the row was closed (wall clock), so the rollup knows which hours a late close changed. */
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('agent_running_intervals_agent_idx').on(t.agentId, t.endedAt),
    index('agent_running_intervals_ended_idx').on(t.endedAt),
    index('agent_running_intervals_closed_idx').on(t.closedAt),
    // A person's month for the agent-hours quota, read at every start (docs/ARCHITECTURE.md, "Plans and quotas").
    index('agent_running_intervals_user_idx').on(t.userId, t.startedAt),
  ],
);

/** Usage per person per UTC hour, kept 14 days. */
export const usageHourly = sqliteTable(
  'usage_hourly',
  {
    userId: text('user_id').notNull(),
    /** The hour's start, UTC. */
    hour: integer('hour', { mode: 'timestamp_ms' }).notNull(),
    agentSeconds: real('agent_seconds').notNull().default(0),
    cpuSeconds: real('cpu_seconds').notNull().default(0),
    /** Memory integrated over time, in GB·seconds (GB-hours = / 3600). */
    memoryGbSeconds: real('memory_gb_seconds').notNull().default(0),
    apiCalls: integer('api_calls').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.hour] }),
    // Covering for the overview's heatmap (agent-seconds per hour for everyone), docs/ARCHITECTURE.md,
    // "Usage and analytics".
    index('usage_hourly_hour_cover_idx').on(t.hour, t.agentSeconds),
  ],
);

/** Usage per person per UTC day, kept 13 months: the sum of the day's hours. */
export const usageDaily = sqliteTable(
  'usage_daily',
  {
    userId: text('user_id').notNull(),
    /** The day's start, UTC. */
    day: integer('day', { mode: 'timestamp_ms' }).notNull(),
    agentSeconds: real('agent_seconds').notNull().default(0),
    cpuSeconds: real('cpu_seconds').notNull().default(0),
    memoryGbSeconds: real('memory_gb_seconds').notNull().default(0),
    apiCalls: integer('api_calls').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.day] }),
    // Covering: the admin's usage page and analytics read a period of days for everyone (docs/ARCHITECTURE.md,
    // "Usage and analytics") from this index alone, never from the table's rows.
    index('usage_daily_day_cover_idx').on(
      t.day,
      t.userId,
      t.agentSeconds,
      t.cpuSeconds,
      t.memoryGbSeconds,
      t.apiCalls,
    ),
  ],
);

/** The rollup's progress: one row, `id` = 1. */
export const usageRollupState = sqliteTable('usage_rollup_state', {
  id: integer('id').primaryKey(),
  /** Everything before this moment is rolled up (the last run's time). */
  rolledUntil: integer('rolled_until', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
});

/**
 * Calls made with API tokens, per person, token and UTC hour (docs/ARCHITECTURE.md, "Usage metering"),
 * counted in memory by each web instance and added here in batches. Kept 14 days; the person's totals go
 * on into `usage_hourly` and `usage_daily`. The dashboard's own calls (the session) are not API calls.
 */
export const apiCallCounts = sqliteTable(
  'api_call_counts',
  {
    userId: text('user_id').notNull(),
    tokenId: text('token_id').notNull(),
    hour: integer('hour', { mode: 'timestamp_ms' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.tokenId, t.hour] }),
    index('api_call_counts_hour_idx').on(t.hour),
  ],
);
