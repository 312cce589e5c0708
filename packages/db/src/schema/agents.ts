import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';

/** Written by the portal. */
export const agentDesiredStates = ['running', 'stopped', 'absent'] as const;
export type AgentDesiredState = (typeof agentDesiredStates)[number];

/** Written only by the worker. */
export const agentObservedStates = [
  'provisioning',
  'running',
  'stopped',
  'restarting',
  'failed',
  'deprovisioning',
  'absent',
] as const;
export type AgentObservedState = (typeof agentObservedStates)[number];

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

export const agents = sqliteTable(
  'agents',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    // Null once the person is deleted: the row stays until the worker has removed the container.
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    // A copy of the owner's username: host scripts need it even after the person row is gone.
    username: text('username').notNull(),
    desiredState: text('desired_state', { enum: agentDesiredStates }).notNull().default('stopped'),
    observedState: text('observed_state', { enum: agentObservedStates }).notNull().default('absent'),
    hostId: text('host_id'),
    publicUrlEnabled: integer('public_url_enabled', { mode: 'boolean' }).notNull().default(false),
    /**
     * When the person last asked for a restart that no restart job has taken up yet; cleared by the
     * `agent.restart` job when it starts, and by any change of the desired state (which makes the request
     * moot). The reconciler re-sends a restart whose enqueue was lost from this (docs/ARCHITECTURE.md,
     * "Commit, then enqueue").
     */
    restartRequestedAt: integer('restart_requested_at', { mode: 'timestamp_ms' }),
    /**
     * When the owner's environment variables last changed while the agent was meant to run, until a
     * provision takes them up (its "run provision script" step clears it before reading them). The
     * reconciler re-sends the provision whose enqueue was lost from this (docs/ARCHITECTURE.md, "Agent
     * secrets").
     */
    envChangedAt: integer('env_changed_at', { mode: 'timestamp_ms' }),
    /**
     * An admin's image for this person's agent, over the portal's default (null: follow the default;
     * docs/ARCHITECTURE.md, "Images and rollouts").
     */
    imageOverride: text('image_override'),
    /**
     * The image its container was last created from, written by the provision step (null: not known,
     * or the host's default image).
     */
    runningImage: text('running_image'),
    /**
     * An admin's move to another host (docs/ARCHITECTURE.md, "Moves and evacuations"): set with the
     * request, cleared by the `agent.move` run when the agent runs there or the move failed for good.
     * `host_id` stays the source until the target runs the agent.
     */
    moveToHostId: text('move_to_host_id'),
    /**
     * The host a move took the agent from, kept between the switch of `host_id` and the run's removal
     * of the agent there (a retried removal must still know where to remove it).
     */
    movedFromHostId: text('moved_from_host_id'),
    desiredAt: integer('desired_at', { mode: 'timestamp_ms' }).notNull().default(now),
    observedAt: integer('observed_at', { mode: 'timestamp_ms' }).notNull().default(now),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('agents_user_unique').on(t.userId),
    index('agents_host_idx').on(t.hostId),
    index('agents_drift_idx').on(t.desiredState, t.observedState),
    index('agents_restart_requested_idx').on(t.restartRequestedAt),
    index('agents_move_to_host_idx').on(t.moveToHostId),
  ],
);
