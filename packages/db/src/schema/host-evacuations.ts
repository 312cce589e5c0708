import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { actorKinds } from './audit';

/** `running` until every agent of the host was moved or failed to move; then `finished`. */
export const evacuationStatuses = ['running', 'finished'] as const;
export type EvacuationStatus = (typeof evacuationStatuses)[number];

/** Each agent of an evacuation: waiting for its batch, being moved, moved, or left where it was. */
export const evacuationAgentStatuses = ['waiting', 'moving', 'moved', 'failed'] as const;
export type EvacuationAgentStatus = (typeof evacuationAgentStatuses)[number];

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * Moving every agent off a draining host, `batch_size` at a time (docs/ARCHITECTURE.md, "Moves and
 * evacuations"). The counts are kept on the row by the `host.evacuate` job, so the Hosts page and REST
 * read progress with one query.
 */
export const hostEvacuations = sqliteTable(
  'host_evacuations',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    /** No foreign key: the record outlives the host, which an admin removes once it is empty. */
    hostId: text('host_id').notNull(),
    batchSize: integer('batch_size').notNull(),
    status: text('status', { enum: evacuationStatuses }).notNull().default('running'),
    total: integer('total').notNull(),
    moved: integer('moved').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    requestedByKind: text('requested_by_kind', { enum: actorKinds }).notNull().default('system'),
    requestedById: text('requested_by_id'),
    requestedByLabel: text('requested_by_label'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('host_evacuations_host_idx').on(t.hostId, t.createdAt)],
);

/** The agents an evacuation set out to move, with how each one went. */
export const hostEvacuationAgents = sqliteTable(
  'host_evacuation_agents',
  {
    evacuationId: text('evacuation_id')
      .notNull()
      .references(() => hostEvacuations.id, { onDelete: 'cascade' }),
    agentId: text('agent_id').notNull(),
    username: text('username').notNull(),
    status: text('status', { enum: evacuationAgentStatuses }).notNull().default('waiting'),
    /** Where the agent was sent, once its batch started. */
    targetHostId: text('target_host_id'),
    /** Why it was not moved. */
    message: text('message'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.evacuationId, t.agentId] }),
    index('host_evacuation_agents_status_idx').on(t.evacuationId, t.status),
  ],
);
