import { EventEmitter } from 'node:events';
import { createDb, migrateDb } from '@pocket-smyth/db';
import { dbSettings } from '@pocket-smyth/db/env';
import { hostEncryptionKey } from '@pocket-smyth/hosts/env';
import {
  allJobs,
  createEnqueue,
  type JobWorker,
  parsedCrontab,
  releaseJobsOfDeadPools,
  startJobWorker,
  trackPoolLiveness,
} from '@pocket-smyth/jobs';
import { ensurePostgres, redact } from '@pocket-smyth/postgres';
import type { WorkerEvents } from 'graphile-worker';
import { agentDomainFor, localHostEnv, type WorkerEnv } from './env';
import { createWorkerHosts, ensureDefaultHost } from './hosts-adapter';
import { createJobDeps } from './job-deps';

export interface WorkerProcess {
  runner: JobWorker;
  /** Releases the queue utils and the libSQL client once the runner has stopped. */
  close(): Promise<void>;
}

export interface WorkerProcessOptions {
  /**
   * Schedule the recurring jobs (reconcile, host poll) every minute; on unless false. Tests that poll
   * or reconcile by hand turn it off, or a minute tick landing mid-test would do it a second time.
   */
  crontab?: boolean;
}

/**
 * Everything `pnpm dev`/`start` does before jobs flow, from the parsed configuration (env.ts: main.ts
 * loads it from the process, tests parse their own): find Postgres (the shared embedded one when
 * DATABASE_URL is unset), migrate libSQL and the queue, start the runner with every job and the crontab.
 */
export async function startWorkerProcess(
  env: WorkerEnv,
  log: (line: string) => void = (line) => console.info(line),
  options: WorkerProcessOptions = {},
): Promise<WorkerProcess> {
  const data = dbSettings(env);
  const connectionString = await ensurePostgres({
    databaseUrl: env.DATABASE_URL,
    dataDir: data.dataDir,
    log,
  });
  const libsql = createDb(data.libsqlUrl, data.libsqlAuthToken);
  await migrateDb(libsql);
  if (await ensureDefaultHost(libsql.db, env.LOCAL_HOST_CAPACITY)) {
    log(`[worker] no hosts yet: added the local host (capacity ${env.LOCAL_HOST_CAPACITY})`);
  }
  const hosts = createWorkerHosts({
    db: libsql.db,
    agentImage: env.AGENT_IMAGE,
    agentCpus: env.AGENT_CPUS,
    agentMemoryMb: env.AGENT_MEMORY_MB,
    domain: agentDomainFor(env),
    forwardAuthUrl: env.AGENT_FORWARD_AUTH_URL,
    encryptionKey: hostEncryptionKey(env),
    hostEnv: env.HOST_SCRIPT_ENV,
    localEnv: localHostEnv(env),
    sampleRetentionMs: env.HOST_SAMPLE_RETENTION_HOURS * 3_600_000,
    log,
  });
  const enqueue = createEnqueue(connectionString, { jobs: allJobs });
  try {
    const deps = await createJobDeps({ env, db: libsql.db, enqueue, hosts });
    const utils = await enqueue.workerUtils();
    const events: WorkerEvents = new EventEmitter();
    const liveness = await trackPoolLiveness(events, { utils });
    const runner = await startJobWorker({
      connectionString,
      jobs: allJobs,
      deps,
      concurrency: env.WORKER_CONCURRENCY,
      cron: options.crontab === false ? undefined : parsedCrontab(),
      events,
    });
    // Jobs a killed worker left locked (e.g. this one, before a restart) run again instead of waiting 4 h.
    const releaseDead = () =>
      releaseJobsOfDeadPools(utils).then(
        (pools) => {
          if (pools.length > 0) log(`[worker] released the jobs of ${pools.length} dead worker(s)`);
        },
        (error: unknown) => log(`[worker] warning: could not check for dead workers: ${String(error)}`),
      );
    await releaseDead();
    const reaper = setInterval(releaseDead, 30_000);
    reaper.unref();
    // Each agent has its own named queue (its jobs run one at a time); graphile keeps a row per queue
    // name and scans them when fetching jobs, so empty ones are removed now and then. A queue with a
    // job in it, or locked, is never removed.
    const queueGc = setInterval(
      () =>
        utils
          .cleanup({ tasks: ['GC_JOB_QUEUES'] })
          .catch((error: unknown) => log(`[worker] warning: queue cleanup failed: ${String(error)}`)),
      10 * 60_000,
    );
    queueGc.unref();
    log(
      `[worker] ready: ${allJobs.length} jobs, concurrency ${env.WORKER_CONCURRENCY}, queue ${redact(connectionString)}, app data ${libsql.url}`,
    );
    return {
      runner,
      async close() {
        clearInterval(reaper);
        clearInterval(queueGc);
        await liveness.stop();
        await enqueue.release();
        await hosts.close();
        libsql.client.close();
      },
    };
  } catch (error) {
    await enqueue.release().catch(() => {});
    await hosts.close().catch(() => {});
    libsql.client.close();
    throw error;
  }
}
