import { agents, type DbOrTx, hosts, runs, users } from '@pocket-smyth/db';
import { and, eq, gte, sql } from 'drizzle-orm';
import { failingAgents } from './failing-agents';
import { agentsPlacedPerHost } from './hosts';
import { countPeopleByStatus } from './people-list';

/** The admin overview in one call: people, agents, hosts and recent failures. */
export async function systemStatus(db: DbOrTx, now = new Date()) {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [people, agentRows, hostRows, placed, failed, oldestPending, failing] = await Promise.all([
    countPeopleByStatus(db),
    db
      .select({ observed: agents.observedState, desired: agents.desiredState, n: sql<number>`count(*)` })
      .from(agents)
      .groupBy(agents.observedState, agents.desiredState),
    db
      .select({
        id: hosts.id,
        name: hosts.name,
        transport: hosts.transport,
        status: hosts.status,
        capacity: hosts.capacity,
        lastSeenAt: hosts.lastSeenAt,
        lastStats: hosts.lastStats,
        lastError: hosts.lastError,
      })
      .from(hosts)
      .orderBy(hosts.name),
    agentsPlacedPerHost(db),
    db
      .select({ n: sql<number>`count(*)` })
      .from(runs)
      .where(and(eq(runs.status, 'failed'), gte(runs.createdAt, dayAgo))),
    db
      .select({ at: sql<number | null>`min(${users.requestedAt})` })
      .from(users)
      .where(eq(users.status, 'pending')),
    failingAgents(db),
  ]);
  const byObservedState: Record<string, number> = {};
  let drifted = 0;
  for (const row of agentRows) {
    byObservedState[row.observed] = (byObservedState[row.observed] ?? 0) + Number(row.n);
    if (row.observed !== row.desired) drifted += Number(row.n);
  }
  const oldest = oldestPending[0]?.at;
  const hostsWithAgents = hostRows.map((h) => ({ ...h, agents: placed.get(h.id) ?? 0 }));
  // What placement can still use: active hosts only. A draining host's agents stay where they are but
  // take none of the active hosts' places, and its own places are offered to nobody.
  const active = hostsWithAgents.filter((h) => h.status === 'active');
  return {
    people,
    oldestPendingSince: typeof oldest === 'number' ? new Date(oldest) : null,
    agents: { byObservedState, drifted, total: agentRows.reduce((s, r) => s + Number(r.n), 0) },
    hosts: hostsWithAgents,
    /** "Host capacity used": agents placed on active hosts, and those hosts' capacity. */
    capacity: {
      used: active.reduce((sum, h) => sum + h.agents, 0),
      total: active.reduce((sum, h) => sum + h.capacity, 0),
    },
    failedRunsLastDay: Number(failed[0]?.n ?? 0),
    failingAgents: failing,
    at: now,
  };
}
