import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agentObservedStates } from './agents';

/**
 * One sample per agent per host poll (about every 15 s; docs/ARCHITECTURE.md, "Hosts"). The poller prunes old rows so the
 * history stays bounded; the primary key (agent, time) is also the chart query's index.
 */
export const agentSamples = sqliteTable(
  'agent_samples',
  {
    agentId: text('agent_id').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    cpuPercent: real('cpu_percent'),
    memoryBytes: integer('memory_bytes'),
    observedState: text('observed_state', { enum: agentObservedStates }).notNull(),
    /** When the agent's current process or container started ("running since"). */
    runningSince: integer('running_since', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.at] }), index('agent_samples_at_idx').on(t.at)],
);

/** Host totals per poll; pruned like `agent_samples`. */
export const hostSamples = sqliteTable(
  'host_samples',
  {
    hostId: text('host_id').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    cpuPercent: real('cpu_percent'),
    memoryUsedBytes: integer('memory_used_bytes'),
    memoryTotalBytes: integer('memory_total_bytes'),
    diskUsedBytes: integer('disk_used_bytes'),
    diskTotalBytes: integer('disk_total_bytes'),
  },
  (t) => [primaryKey({ columns: [t.hostId, t.at] }), index('host_samples_at_idx').on(t.at)],
);
