import { agents, type Db, runs } from '@pocket-smyth/db';
import { and, asc, gt, sql } from 'drizzle-orm';
import type { JobRequest } from './contract';
import { agentJobKey } from './contract';

const pageSize = 500;

/**
 * Agents whose observed state differs from the desired one (see `plannedChange`), oldest first — except
 * those whose newest run failed for good after the last change of intent: they wait for an admin's
 * retry or a new intent instead of failing again every minute.
 */
export async function findDriftedAgents(db: Db, afterId = '', limit = pageSize) {
  const latestRunFailed = sql`(
    select r.status = 'failed' and r.created_at >= ${agents.desiredAt}
      from ${runs} r where r.agent_id = ${agents.id} order by r.id desc limit 1
  )`;
  return db
    .select({ id: agents.id, desiredState: agents.desiredState, observedState: agents.observedState })
    .from(agents)
    .where(
      and(
        gt(agents.id, afterId),
        sql`(
          (${agents.desiredState} = 'running' and ${agents.observedState} <> 'running')
          or (${agents.desiredState} = 'stopped' and ${agents.observedState} not in ('stopped', 'absent'))
          or ${agents.desiredState} = 'absent'
        )`,
        sql`coalesce(${latestRunFailed}, 0) = 0`,
      ),
    )
    .orderBy(asc(agents.id))
    .limit(limit);
}

export interface ReconcileDeps {
  db: Db;
  jobsInFlight(keys: readonly string[]): Promise<Set<string>>;
  enqueue(requests: JobRequest[]): Promise<void>;
}

export interface ReconcileResult {
  drifted: number;
  /** Agent ids a job was enqueued for. */
  enqueued: string[];
}

/**
 * SPEC §3's safety net: a lost enqueue (the API committed, then Postgres was down) heals within a minute.
 * Agents with a job in flight are left alone; the rest get `agent.reconcile` under their usual key.
 */
export async function reconcileAgents(deps: ReconcileDeps): Promise<ReconcileResult> {
  const result: ReconcileResult = { drifted: 0, enqueued: [] };
  let afterId = '';
  for (;;) {
    const page = await findDriftedAgents(deps.db, afterId);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    result.drifted += page.length;
    const inFlight = await deps.jobsInFlight(page.map((agent) => agentJobKey(agent.id)));
    const idle = page.filter((agent) => !inFlight.has(agentJobKey(agent.id)));
    if (idle.length > 0) {
      await deps.enqueue(
        idle.map((agent) => ({
          name: 'agent.reconcile',
          payload: { agentId: agent.id },
          key: agentJobKey(agent.id),
        })),
      );
      result.enqueued.push(...idle.map((agent) => agent.id));
    }
    if (page.length < pageSize) break;
  }
  return result;
}
