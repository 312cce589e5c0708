import { agentSamples, type DbOrTx } from '@pocket-smyth/db';
import { and, desc, eq, gte } from 'drizzle-orm';
import { findAgentByPersonId } from './people-queries';

export const AGENT_METRICS_MAX_SAMPLES = 2_000;

/**
 * The person's agent's samples over the last `minutes` (the dashboard's chart), oldest first, at most
 * the newest 2,000 (about 8 hours at one poll per 15 s): read newest first so that cap drops the
 * oldest samples, never the latest one.
 */
export async function agentMetricsForPerson(db: DbOrTx, personId: string, minutes: number, now = Date.now()) {
  const agent = await findAgentByPersonId(db, personId);
  if (!agent) return { samples: [], latest: null };
  const samples = await db
    .select({
      at: agentSamples.at,
      cpuPercent: agentSamples.cpuPercent,
      memoryBytes: agentSamples.memoryBytes,
      observedState: agentSamples.observedState,
    })
    .from(agentSamples)
    .where(and(eq(agentSamples.agentId, agent.id), gte(agentSamples.at, new Date(now - minutes * 60_000))))
    .orderBy(desc(agentSamples.at))
    .limit(AGENT_METRICS_MAX_SAMPLES);
  samples.reverse();
  return { samples, latest: samples.at(-1) ?? null };
}
