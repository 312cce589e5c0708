import { type DbOrTx, runs } from '@pocket-smyth/db';
import { and, desc, eq, gte } from 'drizzle-orm';

export type ProvisionOutcome =
  | { state: 'waiting'; runId: string | null }
  | { state: 'succeeded'; runId: string }
  | { state: 'failed'; runId: string; error: string }
  | { state: 'cancelled'; runId: string; error: string };

/**
 * How the agent's provision sent at `since` went: its newest provision run created since then (the job
 * carries `newRun`, so it never continues an older one). A run
 * that is still going but whose last attempt failed (it waits for a retry) counts as failed: a rollout
 * does not wait out an hour and a half of backoff to learn that the new image does not come up
 * (docs/ARCHITECTURE.md, "Images and rollouts").
 */
export async function provisionOutcome(db: DbOrTx, agentId: string, since: Date): Promise<ProvisionOutcome> {
  const [run] = await db
    .select({
      id: runs.id,
      status: runs.status,
      errorClass: runs.errorClass,
      errorMessage: runs.errorMessage,
    })
    .from(runs)
    .where(and(eq(runs.agentId, agentId), eq(runs.kind, 'provision'), gte(runs.createdAt, since)))
    .orderBy(desc(runs.id))
    .limit(1);
  if (!run) return { state: 'waiting', runId: null };
  const error = `${run.errorClass ?? 'internal'}: ${run.errorMessage ?? 'the run failed'}`;
  if (run.status === 'succeeded') return { state: 'succeeded', runId: run.id };
  if (run.status === 'failed') return { state: 'failed', runId: run.id, error };
  if (run.status === 'cancelled')
    return { state: 'cancelled', runId: run.id, error: run.errorMessage ?? 'cancelled' };
  if (run.status === 'running' && run.errorClass) return { state: 'failed', runId: run.id, error };
  return { state: 'waiting', runId: run.id };
}
