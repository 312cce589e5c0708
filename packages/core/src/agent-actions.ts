import { agents, type Db } from '@pocket-smyth/db';
import { type JobRequest, restartAgent } from '@pocket-smyth/jobs/contract';
import { eq } from 'drizzle-orm';
import { recordAudit } from './audit';
import { conflict, notFound } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import { type AgentRow, findAgentByPersonId } from './people-queries';
import { type ChangeDeps, requesterOf } from './ports';

/** The restart job: same key and queue as every job of this agent, so it never overlaps another. */
export function agentRestartJob(agentId: string, deps: ChangeDeps): JobRequest {
  return restartAgent(agentId, { requestedBy: requesterOf(deps) });
}

/**
 * The person's restart button: only a running agent that is meant to run can be restarted. The request
 * is recorded on the agent (`restart_requested_at`) with its audit event, then the job is enqueued; the
 * job clears it when it starts, and the reconciler re-sends a restart whose enqueue was lost.
 */
export async function requestAgentRestart(db: Db, deps: ChangeDeps, personId: string): Promise<AgentRow> {
  const agent = await db.transaction(async (tx) => {
    const found = await findAgentByPersonId(tx, personId);
    if (!found) throw notFound('Agent');
    if (found.desiredState !== 'running' || found.observedState !== 'running') {
      throw conflict(`Your agent is ${found.observedState}; it can be restarted once it is running.`, {
        observedState: found.observedState,
      });
    }
    const now = new Date();
    await tx.update(agents).set({ restartRequestedAt: now, updatedAt: now }).where(eq(agents.id, found.id));
    await recordAudit(tx, deps, {
      action: 'agent.restart_requested',
      target: { kind: 'agent', id: found.id, label: found.username },
      before: { observedState: found.observedState },
    });
    return { ...found, restartRequestedAt: now, updatedAt: now };
  });
  await enqueueAfterCommit(deps, [agentRestartJob(agent.id, deps)]);
  return agent;
}

/**
 * The public-URL toggle. The forward-auth endpoint reads this flag on every request, so it takes effect
 * at once with no change on the host.
 */
export async function setAgentPublic(
  db: Db,
  deps: ChangeDeps,
  personId: string,
  enabled: boolean,
): Promise<AgentRow> {
  return db.transaction(async (tx) => {
    const found = await findAgentByPersonId(tx, personId);
    if (!found) throw notFound('Agent');
    if (found.publicUrlEnabled === enabled) return found;
    const now = new Date();
    await tx.update(agents).set({ publicUrlEnabled: enabled, updatedAt: now }).where(eq(agents.id, found.id));
    await recordAudit(tx, deps, {
      action: enabled ? 'agent.public_enabled' : 'agent.public_disabled',
      target: { kind: 'agent', id: found.id, label: found.username },
      before: { publicUrlEnabled: found.publicUrlEnabled },
      after: { publicUrlEnabled: enabled },
    });
    return { ...found, publicUrlEnabled: enabled, updatedAt: now };
  });
}
