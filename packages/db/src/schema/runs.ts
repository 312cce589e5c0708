import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { actorKinds } from './audit';

/** Every job that changes an agent is a run (docs/ARCHITECTURE.md, "Runs and steps"). */
export const runKinds = ['provision', 'restart', 'stop', 'deprovision', 'move'] as const;
export type RunKind = (typeof runKinds)[number];

export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const stepStatuses = ['queued', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type StepStatus = (typeof stepStatuses)[number];

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * A provisioning run. No foreign key to the agent: the timeline of a deprovision must outlive the agent
 * row it removed, so the username is copied in.
 */
export const runs = sqliteTable(
  'runs',
  {
    // Time-ordered (see `timeOrderedId`): sorting by id sorts by creation.
    id: text('id').primaryKey(),
    agentId: text('agent_id').notNull(),
    username: text('username').notNull(),
    kind: text('kind', { enum: runKinds }).notNull(),
    status: text('status', { enum: runStatuses }).notNull().default('queued'),
    /** 1 for the first go; each retry from the failed step adds one. */
    attempt: integer('attempt').notNull().default(1),
    requestedByKind: text('requested_by_kind', { enum: actorKinds }).notNull().default('system'),
    requestedById: text('requested_by_id'),
    requestedByLabel: text('requested_by_label'),
    /** The graphile-worker job running it, for cross-reference in logs. */
    jobId: text('job_id'),
    errorClass: text('error_class'),
    errorMessage: text('error_message'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('runs_agent_idx').on(t.agentId, t.id), index('runs_status_idx').on(t.status, t.id)],
);

/** The ordered steps of a run, e.g. place on host → run provision script → wait for health → … */
export const runSteps = sqliteTable(
  'run_steps',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: stepStatuses }).notNull().default('queued'),
    /** How many times this step has been started (retries included). */
    attempts: integer('attempts').notNull().default(0),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
    /** The last lines of output (bounded; see RunRecorder), for the person watching. */
    outputTail: text('output_tail').notNull().default(''),
    /** e.g. `host_unreachable`, `script_failed`, `timeout`, `idp_rejected`, `email_rejected`. */
    errorClass: text('error_class'),
    /** A human sentence: why it failed, or why it was skipped. */
    message: text('message'),
  },
  (t) => [uniqueIndex('run_steps_position_unique').on(t.runId, t.position)],
);
