import { reconcileAllSpec } from '../contract/cron-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';
import { reconcileAll as reconcile } from '../reconciler';

/**
 * Cron, every minute: enqueue a job for each agent that drifted and has none in flight, a `mail.send`
 * for each outbox row whose enqueue was lost, and the restarts that were asked for but never queued
 * (docs/ARCHITECTURE.md, "Commit, then enqueue").
 */
export const reconcileAll = defineJob(reconcileAllSpec, async (_payload, { deps }: JobContext<JobDeps>) => {
  const healed = await reconcile(deps);
  const counts = [
    [healed.agents.enqueued.length, 'agent job(s)'],
    [healed.mail.length, 'mail(s)'],
    [healed.restarts.length, 'restart(s)'],
    [healed.envChanges.length, 'provision(s) for changed environment variables'],
    [healed.rollouts.length, 'rollout advance(s)'],
    [healed.moves.length, 'move(s)'],
    [healed.evacuations.length, 'evacuation round(s)'],
  ] as const;
  const lost = counts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  if (lost.length > 0) console.info(`[reconcile] enqueued again: ${lost.join(', ')}`);
});
