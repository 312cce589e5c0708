import { agentSamples, type DbOrTx } from '@pocket-smyth/db';
import { and, asc, eq, gte } from 'drizzle-orm';
import { findAgentByPersonId } from './people-queries';

/** The person's agent's samples over the last `minutes` (the dashboard's chart), oldest first. */
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
    .orderBy(asc(agentSamples.at))
    .limit(2_000);
  return { samples, latest: samples.at(-1) ?? null };
}
