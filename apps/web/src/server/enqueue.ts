import 'server-only';
import { dbSettings } from '@pocket-smyth/db/env';
import { allJobs, createEnqueue, type JobEnqueuer } from '@pocket-smyth/jobs';
import type { Enqueue } from '@pocket-smyth/jobs/contract';
import { ensurePostgres } from '@pocket-smyth/postgres';
import { env } from '~/env';

/** How long a request waits for the queue before it answers anyway; the reconciler sends the job later. */
const ENQUEUE_TIMEOUT_MS = 5_000;

const globalForQueue = globalThis as unknown as { pocketSmythEnqueuer?: Promise<JobEnqueuer> };

function enqueuer(): Promise<JobEnqueuer> {
  // DATABASE_URL, else the embedded development Postgres under DATA_DIR, shared with the worker.
  globalForQueue.pocketSmythEnqueuer ??= ensurePostgres({
    databaseUrl: env.DATABASE_URL,
    dataDir: dbSettings(env).dataDir,
  }).then((url) => createEnqueue(url, { jobs: allJobs }));
  // A failed start is not cached: the next change tries again.
  globalForQueue.pocketSmythEnqueuer.catch(() => {
    globalForQueue.pocketSmythEnqueuer = undefined;
  });
  return globalForQueue.pocketSmythEnqueuer;
}

/**
 * Sends jobs to graphile-worker after the libSQL commit (docs/ARCHITECTURE.md, "Commit, then enqueue").
 * Bounded in time: if Postgres is slow or down, the request still answers, and the reconciler enqueues
 * the same job within a minute.
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

/** The queue's graphile-worker utilities (the readiness check asks Postgres and the workers' heartbeat). */
export async function queueUtils() {
  return (await enqueuer()).workerUtils();
}
