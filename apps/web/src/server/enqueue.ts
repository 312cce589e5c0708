import 'server-only';
import { allJobs, createEnqueue, type JobEnqueuer } from '@pocket-smyth/jobs';
import type { Enqueue } from '@pocket-smyth/jobs/contract';
import { ensurePostgres } from '@pocket-smyth/postgres';

/** How long a request waits for the queue before it answers anyway; the reconciler sends the job later. */
const ENQUEUE_TIMEOUT_MS = 5_000;

const globalForQueue = globalThis as unknown as { pocketSmythEnqueuer?: Promise<JobEnqueuer> };

function enqueuer(): Promise<JobEnqueuer> {
  globalForQueue.pocketSmythEnqueuer ??= ensurePostgres({ purpose: 'dev' }).then((url) =>
    createEnqueue(url, { jobs: allJobs }),
  );
  // A failed start is not cached: the next change tries again.
  globalForQueue.pocketSmythEnqueuer.catch(() => {
    globalForQueue.pocketSmythEnqueuer = undefined;
  });
  return globalForQueue.pocketSmythEnqueuer;
}

/**
 * Sends jobs to graphile-worker after the libSQL commit (SPEC §3). Bounded in time: if Postgres is slow
 * or down, the request still answers, and the reconciler enqueues the same job within a minute.
 */
export const enqueue: Enqueue = async (jobs) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`queue did not answer in ${ENQUEUE_TIMEOUT_MS} ms`)),
      ENQUEUE_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([enqueuer().then((enqueueJobs) => enqueueJobs(jobs)), timeout]);
  } finally {
    clearTimeout(timer);
  }
};
