import type { AgentRow, JobDeps } from '../deps';
import type { StepHandle } from '../run-recorder';

/** Writes the person's status and agent URL to the identity provider, or skips when there is none. */
export async function syncIdentity(
  deps: JobDeps,
  agent: AgentRow,
  attributes: { status: string; agentUrl: string | null },
  step: StepHandle,
  signal: AbortSignal,
): Promise<void> {
  if (!deps.idp) return step.skip('Identity provider not configured');
  if (!agent.userId) return step.skip('The person no longer exists');
  await deps.idp.syncPerson({ personId: agent.userId, username: agent.username, ...attributes }, { signal });
  step.output(`status=${attributes.status} agentUrl=${attributes.agentUrl ?? '(none)'}`);
}
