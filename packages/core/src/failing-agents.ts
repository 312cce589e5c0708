import { agents, type DbOrTx, runSteps, runs } from '@pocket-smyth/db';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';

/** How many failing agents the overview lists; `total` says how many there are in all. */
export const FAILING_AGENTS_SHOWN = 10;

export interface FailingAgent {
  runId: string;
  agentId: string;
  /** The owner, whose page holds the retry; null once the person was deleted (their removal failed). */
  personId: string | null;
  username: string;
  kind: (typeof runs.$inferSelect)['kind'];
  /** The step it failed at; null when it failed between steps. */
  step: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  /** The run's retry count so far (1 for the first go). */
  attempt: number;
  failedAt: Date | null;
}

/**
 * Agents that need an admin: their newest run failed for good and nothing has superseded it, so it is
 * waiting for a retry (an older failure followed by a newer run is history, not a task). Newest failure
 * first. Agents whose row is gone are left out: there is nothing left to retry.
 */
export async function failingAgents(
  db: DbOrTx,
  limit = FAILING_AGENTS_SHOWN,
): Promise<{ items: FailingAgent[]; total: number }> {
  // runs_agent_idx (agent_id, id) answers the "newest run of this agent" lookup per candidate. The outer
  // column is qualified by hand: drizzle qualifies columns in a WHERE but not in selected fields, where a
  // bare agent_id would mean r2's own, so the subquery stays right wherever it is moved.
  const newestAndFailed = and(
    eq(runs.status, 'failed'),
    eq(runs.id, sql`(select max(r2.id) from ${runs} r2 where r2.agent_id = ${runs}.agent_id)`),
  );
  const [rows, counted] = await Promise.all([
    db
      .select({
        runId: runs.id,
        agentId: runs.agentId,
        personId: agents.userId,
        username: runs.username,
        kind: runs.kind,
        errorClass: runs.errorClass,
        errorMessage: runs.errorMessage,
        attempt: runs.attempt,
        failedAt: runs.endedAt,
      })
      .from(runs)
      .innerJoin(agents, eq(agents.id, runs.agentId))
      .where(newestAndFailed)
      .orderBy(desc(runs.endedAt), desc(runs.id))
      .limit(limit),
    db
      .select({ n: sql<number>`count(*)` })
      .from(runs)
      .innerJoin(agents, eq(agents.id, runs.agentId))
      .where(newestAndFailed),
  ]);
  const failedSteps =
    rows.length === 0
      ? []
      : await db
          .select({ runId: runSteps.runId, name: runSteps.name })
          .from(runSteps)
          .where(
            and(
              inArray(
                runSteps.runId,
                rows.map((r) => r.runId),
              ),
              eq(runSteps.status, 'failed'),
            ),
          );
  const stepOf = new Map(failedSteps.map((s) => [s.runId, s.name]));
  return {
    items: rows.map((row) => ({ ...row, step: stepOf.get(row.runId) ?? null })),
    total: Number(counted[0]?.n ?? 0),
  };
}
