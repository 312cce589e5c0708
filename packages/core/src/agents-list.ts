import {
  type agentDesiredStates,
  type agentObservedStates,
  agentSamples,
  agents,
  type DbOrTx,
  hosts,
  runs,
  users,
} from '@pocket-smyth/db';
import { and, asc, desc, eq, or, type SQL, sql } from 'drizzle-orm';

/**
 * The admin Agents page (docs/ARCHITECTURE.md, "Lifecycles"): every agent with its owner, host,
 * desired and observed state, CPU and memory from the newest sample and its newest run's result.
 * Filters narrow it in SQL; the page holds at most `limit` rows (an install's agents fit: thousands).
 */
export const agentSorts = ['username', 'observed_since', 'cpu', 'memory'] as const;
export type AgentSort = (typeof agentSorts)[number];

export interface AgentListFilters {
  observedState?: (typeof agentObservedStates)[number] | undefined;
  desiredState?: (typeof agentDesiredStates)[number] | undefined;
  hostId?: string | undefined;
  /** Part of the username or the owner's email. */
  q?: string | undefined;
  /** Only agents whose observed state differs from the desired one. */
  drifted?: boolean | undefined;
  sort?: AgentSort | undefined;
  limit?: number | undefined;
}

export async function listAgentsForAdmin(db: DbOrTx, filters: AgentListFilters = {}) {
  // The newest sample and run per agent, by their primary-key order (agent_samples (agent_id, at),
  // runs_agent_idx (agent_id, id)). Outer columns are written out: drizzle does not qualify selected
  // fields inside a raw subquery.
  const newestSampleAt = sql`(select max(s2.at) from ${agentSamples} s2 where s2.agent_id = ${agents}.id)`;
  const newestRunId = sql`(select max(r2.id) from ${runs} r2 where r2.agent_id = ${agents}.id)`;
  const where: SQL[] = [];
  if (filters.observedState) where.push(eq(agents.observedState, filters.observedState));
  if (filters.desiredState) where.push(eq(agents.desiredState, filters.desiredState));
  if (filters.hostId) where.push(eq(agents.hostId, filters.hostId));
  if (filters.drifted) where.push(sql`${agents.observedState} <> ${agents.desiredState}`);
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const matches = or(
      sql`${agents.username} like ${pattern} escape '\\'`,
      sql`${users.email} like ${pattern} escape '\\'`,
    );
    if (matches) where.push(matches);
  }
  const order = {
    username: [asc(agents.username)],
    observed_since: [desc(agents.observedAt), asc(agents.username)],
    // By the reading shown: a sample counts only while the agent runs.
    cpu: [
      sql`case when ${agents.observedState} = 'running' then ${agentSamples.cpuPercent} end desc nulls last`,
      asc(agents.username),
    ],
    memory: [
      sql`case when ${agents.observedState} = 'running' then ${agentSamples.memoryBytes} end desc nulls last`,
      asc(agents.username),
    ],
  }[filters.sort ?? 'username'];

  const rows = await db
    .select({
      id: agents.id,
      username: agents.username,
      personId: agents.userId,
      email: users.email,
      ownerStatus: users.status,
      hostId: agents.hostId,
      hostName: hosts.name,
      desiredState: agents.desiredState,
      observedState: agents.observedState,
      observedAt: agents.observedAt,
      publicUrlEnabled: agents.publicUrlEnabled,
      runningImage: agents.runningImage,
      imageOverride: agents.imageOverride,
      cpuPercent: agentSamples.cpuPercent,
      memoryBytes: agentSamples.memoryBytes,
      sampledAt: agentSamples.at,
      lastRunKind: runs.kind,
      lastRunStatus: runs.status,
      lastRunAt: runs.createdAt,
    })
    .from(agents)
    .leftJoin(users, eq(users.id, agents.userId))
    .leftJoin(hosts, eq(hosts.id, agents.hostId))
    .leftJoin(agentSamples, and(eq(agentSamples.agentId, agents.id), eq(agentSamples.at, newestSampleAt)))
    .leftJoin(runs, eq(runs.id, newestRunId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(...order)
    .limit(Math.min(filters.limit ?? 500, 2000));

  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    personId: r.personId,
    email: r.email,
    ownerStatus: r.ownerStatus,
    host: r.hostId ? { id: r.hostId, name: r.hostName ?? r.hostId } : null,
    desiredState: r.desiredState,
    observedState: r.observedState,
    observedAt: r.observedAt,
    publicUrlEnabled: r.publicUrlEnabled,
    runningImage: r.runningImage,
    imageOverride: r.imageOverride,
    // A sample of a stopped agent says nothing about now.
    now:
      r.sampledAt && r.observedState === 'running'
        ? { cpuPercent: r.cpuPercent, memoryBytes: r.memoryBytes, at: r.sampledAt }
        : null,
    lastRun:
      r.lastRunKind && r.lastRunStatus && r.lastRunAt
        ? { kind: r.lastRunKind, status: r.lastRunStatus, at: r.lastRunAt }
        : null,
  }));
}

export type AdminAgentRow = Awaited<ReturnType<typeof listAgentsForAdmin>>[number];
