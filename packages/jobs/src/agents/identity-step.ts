import type { AgentRow, JobDeps } from '../deps';
import { writeCurrentIdentity } from '../identity';
import type { StepHandle } from '../run-recorder';

/**
 * A run's "update identity provider" step: writes the owner's current username, status and agent URL,
 * read from libSQL now, exactly as `idp.sync` does (see `writeCurrentIdentity`), so the two never undo
 * each other. Skips when there is no provider or no owner.
 */
export async function identityStep(
  deps: JobDeps,
  agent: AgentRow,
  step: StepHandle,
  signal: AbortSignal,
): Promise<void> {
  if (!deps.idp) return step.skip('Identity provider not configured');
  // A deleted person's `idp.sync` marks them deleted: it carries their address, which is gone from here.
  if (!agent.userId) return step.skip('The person no longer exists');
  const written = await writeCurrentIdentity(deps, deps.idp, agent.userId, { signal });
  if (!written) return step.skip('The person no longer exists');
  step.output(`status=${written.status} agentUrl=${written.agentUrl ?? '(none)'}`);
}
