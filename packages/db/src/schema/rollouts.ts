import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agents } from './agents';
import { runs } from './runs';

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * The portal's own settings that admins change at run time, one row per key (docs/ARCHITECTURE.md,
 * "Images and rollouts"). Keys are the `portalSettingKeys`; a missing row means "not set".
 */
export const portalSettingKeys = ['agent_image.default'] as const;
export type PortalSettingKey = (typeof portalSettingKeys)[number];

export const portalSettings = sqliteTable('portal_settings', {
  key: text('key', { enum: portalSettingKeys }).primaryKey(),
  value: text('value').notNull(),
  updatedById: text('updated_by_id'),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
});

/**
 * running: batches go out; paused: no new batch; stopped_failed: stopped by itself, more than the
 * threshold share failed; completed: every agent done; rolling_back / rolled_back: the changed agents
 * go (went) back to their previous image.
 */
export const rolloutStatuses = [
  'running',
  'paused',
  'stopped_failed',
  'completed',
  'rolling_back',
  'rolled_back',
] as const;
export type RolloutStatus = (typeof rolloutStatuses)[number];

/** Rollouts that still move agents: at most one at a time. */
export const activeRolloutStatuses = [
  'running',
  'paused',
  'rolling_back',
] as const satisfies readonly RolloutStatus[];

/** An admin's move of every running agent to a new image, a batch at a time. */
export const rollouts = sqliteTable(
  'rollouts',
  {
    id: text('id').primaryKey(),
    /** The default image before the rollout; null: the worker's AGENT_IMAGE (or the host's default). */
    fromImage: text('from_image'),
    toImage: text('to_image').notNull(),
    batchSize: integer('batch_size').notNull(),
    /** The rollout stops by itself when failed / done exceeds this share, in percent. */
    failureThresholdPercent: integer('failure_threshold_percent').notNull(),
    status: text('status', { enum: rolloutStatuses }).notNull().default('running'),
    /** Why it stopped, for stopped_failed. */
    statusReason: text('status_reason'),
    createdById: text('created_by_id'),
    createdByLabel: text('created_by_label'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('rollouts_status_idx').on(t.status, t.createdAt)],
);

/**
 * pending: not yet touched; in_progress: its provision was sent; succeeded / failed: how that went;
 * skipped: no longer running when its batch came (stopped or removed); rolling_back: being put back on
 * its previous image; rolled_back / rollback_failed: how that went.
 */
export const rolloutAgentStatuses = [
  'pending',
  'in_progress',
  'succeeded',
  'failed',
  'skipped',
  'rolling_back',
  'rolled_back',
  'rollback_failed',
] as const;
export type RolloutAgentStatus = (typeof rolloutAgentStatuses)[number];

/** One agent of a rollout, in the order the batches take them (`position`). */
export const rolloutAgents = sqliteTable(
  'rollout_agents',
  {
    rolloutId: text('rollout_id')
      .notNull()
      .references(() => rollouts.id, { onDelete: 'cascade' }),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    /** A copy: the list stays readable after the agent row is gone. */
    username: text('username').notNull(),
    position: integer('position').notNull(),
    /** The image it ran when the rollout started (null: the default of its time). */
    previousImage: text('previous_image'),
    status: text('status', { enum: rolloutAgentStatuses }).notNull().default('pending'),
    /** The provision run that moved it (or moved it back). */
    runId: text('run_id').references(() => runs.id, { onDelete: 'set null' }),
    /** When its provision (or rollback) was sent: runs that ended before it are not its outcome. */
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
    error: text('error'),
  },
  (t) => [
    primaryKey({ columns: [t.rolloutId, t.agentId] }),
    index('rollout_agents_status_idx').on(t.rolloutId, t.status, t.position),
    index('rollout_agents_agent_idx').on(t.agentId),
  ],
);
