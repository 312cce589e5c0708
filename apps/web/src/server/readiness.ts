import 'server-only';
import { pendingMigrations, pingDb } from '@pocket-smyth/db';
import { newestWorkerBeatAgeMs } from '@pocket-smyth/jobs';
import { db } from './db';
import { queueUtils } from './enqueue';
import { cachedFor, runReadinessChecks } from './readiness-checks';

/** A worker beats every 10 s; two minutes without one means no worker is taking jobs. */
export const WORKER_HEARTBEAT_MAX_AGE_MS = 120_000;
const CHECK_TIMEOUT_MS = 2_000;

/**
 * What `GET /api/health/ready` answers (docs/ARCHITECTURE.md, "Health"): libSQL reachable, every
 * migration applied, the job queue's Postgres reachable, and a worker's heartbeat younger than two
 * minutes. Computed at most once a second per process.
 */
export const readiness = cachedFor(1_000, () =>
  runReadinessChecks(
    {
      libsql: async () => {
        await pingDb(db);
        return { ok: true };
      },
      migrations: async () => {
        const pending = await pendingMigrations(db);
        return { ok: pending === 0, detail: `${pending} pending` };
      },
      postgres: async () => {
        await (await queueUtils()).withPgClient((client) => client.query('select 1'));
        return { ok: true };
      },
      worker: async () => {
        const age = await newestWorkerBeatAgeMs(await queueUtils());
        return {
          ok: age !== null && age < WORKER_HEARTBEAT_MAX_AGE_MS,
          detail: age === null ? 'no worker has started' : `last heartbeat ${Math.round(age / 1000)} s ago`,
        };
      },
    },
    CHECK_TIMEOUT_MS,
  ),
);
