import { agents } from '@pocket-smyth/db';
import { and, eq } from 'drizzle-orm';
import type { AgentPayload } from '../contract/agent-jobs';
import type { JobContext } from '../define-job';
import type { JobDeps } from '../deps';
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
  await performAgentChange(change, agent, payload, context, (state, tx) =>
    setObserved(tx ?? db, agent.id, state),
  );
  if (change.kind === 'deprovision') {
    // Only if nobody asked for the agent back while it was being removed.
    await db.delete(agents).where(and(eq(agents.id, agent.id), eq(agents.desiredState, 'absent')));
  }
}
