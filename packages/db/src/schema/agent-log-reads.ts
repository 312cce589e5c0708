import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * Answers to log reads (docs/ARCHITECTURE.md, "Agent logs"): the portal cannot reach hosts, so it asks
 * the worker with an `agent.logs` job and waits for the worker's row here, keyed by the id it chose.
 * The asker deletes the row once read; the worker removes any left behind for a minute (an asker that
 * gave up). Holds at most one bounded read each: `lines` is the logs script's JSON array.
 */
export const agentLogReads = sqliteTable(
  'agent_log_reads',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').notNull(),
    /** JSON `[{ at, text }]`, oldest first; null when the read failed. */
    lines: text('lines'),
    errorClass: text('error_class'),
    errorMessage: text('error_message'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('agent_log_reads_created_idx').on(t.createdAt)],
);
