import type { JobRequest } from '@pocket-smyth/jobs/contract';
import type { ChangeDeps } from './ports';

/**
 * Enqueues after the libSQL commit. A failure is logged, not thrown: the state is already committed, and
 * the reconciler (`reconcile.all`, every minute) enqueues again what the committed state calls for —
 * the agent job of a drifted agent, `mail.send` for an outbox row still queued after the grace period,
 * a restart that was requested but never taken up (docs/ARCHITECTURE.md, "Commit, then enqueue"). Two
 * requests are not backed up that way: a run retry (the run stays failed and can be retried again) and
 * `idp.sync` (the next status change, or the identity step of the agent's next run, writes the person's
 * current attributes).
 */
export async function enqueueAfterCommit(deps: ChangeDeps, jobs: JobRequest[]): Promise<void> {
  if (jobs.length === 0) return;
  try {
    await deps.enqueue(jobs);
  } catch (error) {
    console.warn(
      `[enqueue] ${jobs.length} job(s) not enqueued (request ${deps.requestId ?? '-'}); the reconciler will retry what it can`,
      error,
    );
  }
}
