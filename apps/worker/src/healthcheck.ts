/**
 * `pnpm --filter @pocket-smyth/worker healthcheck`: exits 0 when a worker on this machine (this
 * container, under docker compose) has written its heartbeat within the last minute, else 1. The
 * heartbeat is the liveness row graphile's pool writes every 10 s (packages/jobs worker-liveness.ts),
 * so a worker that hangs or crash-loops is unhealthy even while some process is up.
 */
import { hostname } from 'node:os';
import { allJobs, createEnqueue, workerBeatingOn } from '@pocket-smyth/jobs';
import { loadWorkerEnv } from './env';

const MAX_AGE_MS = 60_000;

const env = loadWorkerEnv();
if (!env.DATABASE_URL) {
  console.error('[healthcheck] DATABASE_URL is unset: the embedded Postgres has no fixed address to ask');
  process.exit(1);
}
const enqueue = createEnqueue(env.DATABASE_URL, { jobs: allJobs });
let beating = false;
try {
  beating = await workerBeatingOn(await enqueue.workerUtils(), hostname(), MAX_AGE_MS);
} catch (error) {
  console.error(
    `[healthcheck] cannot read the heartbeat: ${error instanceof Error ? error.message : String(error)}`,
  );
} finally {
  await enqueue.release().catch(() => {});
}
if (!beating) console.error(`[healthcheck] no heartbeat from a worker on ${hostname()} in the last minute`);
process.exit(beating ? 0 : 1);
