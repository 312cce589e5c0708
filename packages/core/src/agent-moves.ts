import { agents, type Db, hostEvacuationAgents, hostEvacuations, hosts } from '@pocket-smyth/db';
import { continueEvacuation, moveAgent as moveAgentJob } from '@pocket-smyth/jobs/contract';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from './audit';
import { conflict, notFound } from './errors';
import { agentsPlacedPerHost } from './hosts';
import { enqueueAfterCommit } from './jobs-after-commit';
import { type ChangeDeps, requesterOf } from './ports';

/**
 * Moving agents between hosts (docs/ARCHITECTURE.md, "Moves and evacuations"). The portal writes the
 * intent (`agents.move_to_host_id`, or an evacuation record) with its audit event, then enqueues the job;
 * the `agent.move` run does the work with its steps, and the agent's `host_id` changes only once the
 * target runs it.
 */

/** Observed states in which a run is already changing the agent: a move waits for it to finish. */
const changing = new Set(['provisioning', 'restarting', 'deprovisioning']);

export interface MoveRequested {
  agentId: string;
  username: string;
  fromHostId: string;
  toHostId: string;
}

/**
 * An admin moves an agent to another host. The target must be active and have room (capacity minus
 * the agents on it or on their way there); the agent must live on a host, be meant to exist, and not
 * be in the middle of a run or another move (409 each, saying which).
 */
export async function moveAgent(
  db: Db,
  deps: ChangeDeps,
  agentId: string,
  targetHostId: string,
): Promise<MoveRequested> {
  const moved = await db.transaction(async (tx) => {
    const [agent] = await tx.select().from(agents).where(eq(agents.id, agentId)).limit(1);
    if (!agent) throw notFound('Agent');
    const [target] = await tx.select().from(hosts).where(eq(hosts.id, targetHostId)).limit(1);
    if (!target) throw notFound('Host');
    if (agent.desiredState === 'absent') throw conflict(`${agent.username}’s agent is being removed.`);
    if (!agent.hostId) {
      throw conflict(
        `${agent.username}’s agent is not on any host yet; it is placed when it is provisioned.`,
      );
    }
    if (agent.hostId === target.id) throw conflict(`${agent.username}’s agent is already on ${target.name}.`);
    if (agent.moveToHostId || agent.movedFromHostId) {
      throw conflict(`${agent.username}’s agent is already being moved.`, {
        moveToHostId: agent.moveToHostId,
      });
    }
    if (changing.has(agent.observedState)) {
      throw conflict(`${agent.username}’s agent is ${agent.observedState}; move it once that is done.`, {
        observedState: agent.observedState,
      });
    }
    if (target.status !== 'active') throw conflict(`${target.name} is ${target.status}; it takes no agents.`);
    const load = (await agentsPlacedPerHost(tx)).get(target.id) ?? 0;
    if (load >= target.capacity) {
      throw conflict(`${target.name} is full (${load} of ${target.capacity}).`, {
        capacity: target.capacity,
        placed: load,
      });
    }
    // Guarded like every transition: two admins racing cannot both start a move.
    const updated = await tx
      .update(agents)
      .set({ moveToHostId: target.id, updatedAt: new Date() })
      .where(and(eq(agents.id, agent.id), isNull(agents.moveToHostId)))
      .returning({ id: agents.id });
    if (updated.length === 0) throw conflict(`${agent.username}’s agent is already being moved.`);
    await recordAudit(tx, deps, {
      action: 'agent.move_requested',
      target: { kind: 'agent', id: agent.id, label: agent.username },
      before: { hostId: agent.hostId },
      after: { moveToHostId: target.id },
    });
    return { agentId: agent.id, username: agent.username, fromHostId: agent.hostId, toHostId: target.id };
  });
  await enqueueAfterCommit(deps, [moveAgentJob(moved.agentId, { requestedBy: requesterOf(deps) })]);
  return moved;
}

/** An evacuation as admins see it: progress counts, and each agent that could not be moved, with why. */
export interface EvacuationOutput {
  id: string;
  hostId: string;
  batchSize: number;
  status: 'running' | 'finished';
  total: number;
  moved: number;
  failed: number;
  /** Waiting for their batch or being moved now. */
  remaining: number;
  createdAt: Date;
  endedAt: Date | null;
  failures: { agentId: string; username: string; message: string | null }[];
}

/**
 * Evacuates a draining host: every agent on it is moved to placement's choice, `batchSize` at a time,
 * by the `host.evacuate` job. One evacuation of a host runs at a time (409 while one does); a host with
 * no agents has nothing to evacuate (409).
 */
export async function evacuateHost(
  db: Db,
  deps: ChangeDeps,
  hostId: string,
  options: { batchSize: number },
): Promise<EvacuationOutput> {
  const evacuationId = await db.transaction(async (tx) => {
    const [host] = await tx.select().from(hosts).where(eq(hosts.id, hostId)).limit(1);
    if (!host) throw notFound('Host');
    if (host.status !== 'draining') {
      throw conflict(`${host.name} is ${host.status}; drain it before evacuating it.`, {
        status: host.status,
      });
    }
    const [running] = await tx
      .select({ id: hostEvacuations.id })
      .from(hostEvacuations)
      .where(and(eq(hostEvacuations.hostId, host.id), eq(hostEvacuations.status, 'running')))
      .limit(1);
    if (running) throw conflict(`${host.name} is being evacuated already.`, { evacuationId: running.id });
    const onHost = await tx
      .select({ id: agents.id, username: agents.username })
      .from(agents)
      .where(eq(agents.hostId, host.id))
      .orderBy(asc(agents.username));
    if (onHost.length === 0) throw conflict(`${host.name} has no agents to move.`);
    const requester = requesterOf(deps);
    const [evacuation] = await tx
      .insert(hostEvacuations)
      .values({
        hostId: host.id,
        batchSize: options.batchSize,
        total: onHost.length,
        requestedByKind: requester.kind,
        requestedById: requester.id,
        requestedByLabel: requester.label,
      })
      .returning({ id: hostEvacuations.id });
    if (!evacuation) throw new Error('the evacuation was not recorded');
    await tx
      .insert(hostEvacuationAgents)
      .values(
        onHost.map((agent) => ({ evacuationId: evacuation.id, agentId: agent.id, username: agent.username })),
      );
    await recordAudit(tx, deps, {
      action: 'host.evacuation_requested',
      target: { kind: 'host', id: host.id, label: host.name },
      after: { evacuationId: evacuation.id, batchSize: options.batchSize, agents: onHost.length },
    });
    return evacuation.id;
  });
  await enqueueAfterCommit(deps, [continueEvacuation(evacuationId)]);
  const output = await readEvacuation(db, evacuationId);
  if (!output) throw notFound('Evacuation');
  return output;
}

/** The newest evacuation of a host, or null when it never had one (404 when the host is unknown). */
export async function latestEvacuation(db: Db, hostId: string): Promise<EvacuationOutput | null> {
  const [host] = await db.select({ id: hosts.id }).from(hosts).where(eq(hosts.id, hostId)).limit(1);
  const [latest] = await db
    .select({ id: hostEvacuations.id })
    .from(hostEvacuations)
    .where(eq(hostEvacuations.hostId, hostId))
    .orderBy(desc(hostEvacuations.createdAt))
    .limit(1);
  if (!host && !latest) throw notFound('Host');
  return latest ? readEvacuation(db, latest.id) : null;
}

async function readEvacuation(db: Db, evacuationId: string): Promise<EvacuationOutput | null> {
  const [row] = await db.select().from(hostEvacuations).where(eq(hostEvacuations.id, evacuationId));
  if (!row) return null;
  const items = await db
    .select()
    .from(hostEvacuationAgents)
    .where(eq(hostEvacuationAgents.evacuationId, evacuationId))
    .orderBy(asc(hostEvacuationAgents.username));
  return {
    id: row.id,
    hostId: row.hostId,
    batchSize: row.batchSize,
    status: row.status,
    total: row.total,
    // From the agents' rows rather than the row's counts, so the three always add up to the total.
    moved: items.filter((item) => item.status === 'moved').length,
    failed: items.filter((item) => item.status === 'failed').length,
    remaining: items.filter((item) => item.status === 'waiting' || item.status === 'moving').length,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
    failures: items
      .filter((item) => item.status === 'failed')
      .map((item) => ({ agentId: item.agentId, username: item.username, message: item.message })),
  };
}
