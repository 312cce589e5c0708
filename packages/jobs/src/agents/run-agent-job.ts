import { agents } from '@pocket-smyth/db';
import { and, eq } from 'drizzle-orm';
import type { AgentPayload } from '../contract/agent-jobs';
import type { JobContext } from '../define-job';
import type { JobDeps } from '../deps';
import { wakeRollouts } from '../rollouts/advance';
import { type AgentChange, performAgentChange } from './agent-change';
import { loadAgent, setObserved } from './agent-state';

/** The body shared by the agent jobs: load the agent, run the change, record the outcome. */
export async function runAgentJob(
  change: AgentChange,
  payload: AgentPayload,
  context: JobContext<JobDeps>,
): Promise<void> {
  const { db } = context.deps;
  const agent = await loadAgent(db, payload.agentId);
  // Already deprovisioned and deleted: the job has nothing left to do, which is success.
  if (!agent) return;
  try {
    await performAgentChange(change, agent, payload, context, (state, tx) =>
      setObserved(tx ?? db, agent.id, state),
    );
  } finally {
    // A rollout waiting on this provision learns how it went now, not at the next minute's reconcile.
    if (change.kind === 'provision') {
      await wakeRollouts(context.deps, agent.id).catch((error: unknown) =>
        console.warn(`[rollout] could not wake the rollouts of agent ${agent.id}`, error),
      );
    }
  }
  if (change.kind === 'deprovision') {
    // Only if nobody asked for the agent back while it was being removed.
    await db.delete(agents).where(and(eq(agents.id, agent.id), eq(agents.desiredState, 'absent')));
  }
}
