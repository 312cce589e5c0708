import type { JobRequest } from '@pocket-smyth/jobs/contract';
import type { ChangeDeps } from './ports';

/**
 * Enqueues after the libSQL commit. A failure is logged, not thrown: the state is already committed and
 * the reconciler enqueues the same job again within a minute (SPEC §3).
 */
export async function enqueueAfterCommit(deps: ChangeDeps, jobs: JobRequest[]): Promise<void> {
  if (jobs.length === 0) return;
  try {
    await deps.enqueue(jobs);
  } catch (error) {
    console.warn(
      `[enqueue] ${jobs.length} job(s) not enqueued (request ${deps.requestId ?? '-'}); the reconciler will retry`,
      error,
    );
  }
}
