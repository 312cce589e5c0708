import { agents, type Db, type DbOrTx, users } from '@pocket-smyth/db';
import { type JobRequest, reconcileAgent, restartAgent } from '@pocket-smyth/jobs/contract';
import { eq } from 'drizzle-orm';
import { assertAgentQuotaLeft } from './agent-quota';
import { recordAudit } from './audit';
import { AppError, conflict, notFound } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import type { AgentRow } from './people-queries';
import { type ChangeDeps, requesterOf } from './ports';

/**
 * Starting, stopping and restarting an agent (docs/ARCHITECTURE.md, "Lifecycles"): the portal only
 * writes the desired state (or a restart request) with its audit event, then enqueues the agent's job;
 * the run does the work with its steps, as for an approval. The owner commands their own agent, an admin
 * any agent; the rules are the same, only the words differ ("Your agent" or "ada's agent").
 */
export type AgentCommand = 'start' | 'stop' | 'restart';

export type AgentTarget = { personId: string } | { agentId: string };

/** What the command did: `changed` false when the agent was already where it was asked to go. */
export interface AgentCommandResult {
  agent: AgentRow;
  changed: boolean;
}

/** The restart job: same key and queue as every job of this agent, so it never overlaps another. */
export function agentRestartJob(agentId: string, deps: ChangeDeps): JobRequest {
  return restartAgent(agentId, { requestedBy: requesterOf(deps) });
}

/** Observed states a start or stop waits out: a run is already moving the agent. */
const moving = new Set(['provisioning', 'restarting', 'deprovisioning']);

async function findTarget(tx: DbOrTx, target: AgentTarget) {
  const [row] = await tx
    .select({ agent: agents, ownerStatus: users.status })
    .from(agents)
    .leftJoin(users, eq(users.id, agents.userId))
    .where('personId' in target ? eq(agents.userId, target.personId) : eq(agents.id, target.agentId))
    .limit(1);
  if (!row) throw notFound('Agent');
  return row;
}

export async function commandAgent(
  db: Db,
  deps: ChangeDeps,
  target: AgentTarget,
  command: AgentCommand,
): Promise<AgentCommandResult> {
  const own = 'personId' in target;
  const result = await db.transaction(async (tx) => {
    const { agent, ownerStatus } = await findTarget(tx, target);
    const whose = own ? 'Your agent' : `${agent.username}’s agent`;
    if (agent.desiredState === 'absent' || !agent.userId) {
      throw conflict(`${whose} is being removed.`, { desiredState: agent.desiredState });
    }
    // A revoked (or not yet approved) person's agent stays stopped until they are restored.
    if (command !== 'stop' && ownerStatus !== 'active') {
      throw conflict(`${agent.username} is ${ownerStatus}; restore them before starting their agent.`, {
        ownerStatus,
      });
    }
    // Restart from stopped is a start: what a person means by pressing it.
    const effective: AgentCommand =
      command === 'restart' && agent.desiredState === 'stopped' ? 'start' : command;
    // A restart or start would replace the waiting move job (one key per agent) and run on the old host.
    if ((agent.moveToHostId || agent.movedFromHostId) && effective !== 'stop') {
      throw conflict(`${whose} is being moved to another host; try again once that is done.`, {
        moveToHostId: agent.moveToHostId,
      });
    }
    if (moving.has(agent.observedState) && effective !== 'stop') {
      throw conflict(`${whose} is ${agent.observedState}; try again once that is done.`, {
        observedState: agent.observedState,
      });
    }
    // A used-up quota holds the agent until the month ends or an admin adds hours (docs/ARCHITECTURE.md,
    // "Plans and quotas"); an admin's start is refused too, a top-up being the way round it.
    if (effective !== 'stop') await assertAgentQuotaLeft(tx, agent.userId, whose);
    const now = new Date();
    const jobs: JobRequest[] = [];
    if (effective === 'restart') {
      if (agent.observedState !== 'running') {
        throw conflict(`${whose} is ${agent.observedState}; it can be restarted once it is running.`, {
          observedState: agent.observedState,
        });
      }
      await tx.update(agents).set({ restartRequestedAt: now, updatedAt: now }).where(eq(agents.id, agent.id));
      jobs.push(agentRestartJob(agent.id, deps));
      await audit(tx, deps, agent, 'agent.restart_requested');
      return { agent: { ...agent, restartRequestedAt: now, updatedAt: now }, changed: true, jobs };
    }
    const desiredState: AgentRow['desiredState'] = effective === 'start' ? 'running' : 'stopped';
    // Already there, or on the way: nothing to record. After a failed run, the same command tries again.
    const settled = agent.desiredState === desiredState && agent.observedState !== 'failed';
    if (settled) return { agent, changed: false, jobs };
    await tx
      .update(agents)
      .set({ desiredState, desiredAt: now, restartRequestedAt: null, updatedAt: now })
      .where(eq(agents.id, agent.id));
    jobs.push(reconcileAgent(agent.id, { requestedBy: requesterOf(deps) }));
    await audit(tx, deps, agent, effective === 'start' ? 'agent.start_requested' : 'agent.stop_requested', {
      desiredState,
    });
    const updated = { ...agent, desiredState, desiredAt: now, restartRequestedAt: null, updatedAt: now };
    return { agent: updated, changed: true, jobs };
  });
  await enqueueAfterCommit(deps, result.jobs);
  return { agent: result.agent, changed: result.changed };
}

function audit(
  tx: DbOrTx,
  deps: ChangeDeps,
  agent: AgentRow,
  action: string,
  after?: Record<string, unknown>,
): Promise<void> {
  return recordAudit(tx, deps, {
    action,
    target: { kind: 'agent', id: agent.id, label: agent.username },
    before: { desiredState: agent.desiredState, observedState: agent.observedState },
    ...(after ? { after } : {}),
  });
}

/**
 * The person's restart button. A restart is recorded on the agent (`restart_requested_at`) with its
 * audit event, then the job is enqueued; the job clears it when it starts, and the reconciler re-sends
 * a restart whose enqueue was lost. From stopped it is a start.
 */
export async function requestAgentRestart(db: Db, deps: ChangeDeps, personId: string): Promise<AgentRow> {
  return (await commandAgent(db, deps, { personId }, 'restart')).agent;
}

export type AgentCommandOutcome =
  | { id: string; ok: true; desiredState: AgentRow['desiredState']; changed: boolean }
  | { id: string; ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string };

/**
 * An admin's command on many agents (the Agents page's selection): each id gets its own result, so one
 * agent in the wrong state does not hold up the rest. Each is its own small transaction and job; the
 * worker's concurrency decides how many run at once.
 */
export async function commandAgents(
  db: Db,
  deps: ChangeDeps,
  agentIds: readonly string[],
  command: AgentCommand,
): Promise<AgentCommandOutcome[]> {
  const outcomes: AgentCommandOutcome[] = [];
  for (const id of new Set(agentIds)) {
    try {
      const { agent, changed } = await commandAgent(db, deps, { agentId: id }, command);
      outcomes.push({ id, ok: true, desiredState: agent.desiredState, changed });
    } catch (error) {
      if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'CONFLICT')) {
        outcomes.push({ id, ok: false, code: error.code, message: error.message });
      } else throw error;
    }
  }
  return outcomes;
}
