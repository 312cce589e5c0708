import { createDb, defaultLibsqlUrl, migrateDb } from '@pocket-smyth/db';
import { allJobs, createEnqueue, type JobWorker, parsedCrontab, startJobWorker } from '@pocket-smyth/jobs';
import { ensurePostgres, redact } from '@pocket-smyth/postgres';
import { parseWorkerEnv } from './env';
import { createJobDeps } from './job-deps';
import { unwiredHosts } from './unwired-hosts';

export interface WorkerProcess {
  runner: JobWorker;
  /** Releases the queue utils and the libSQL client once the runner has stopped. */
  close(): Promise<void>;
}

/**
 * Everything `pnpm dev`/`start` does before jobs flow: validate the environment, find Postgres (the
 * shared embedded one when DATABASE_URL is unset), migrate libSQL and the queue, start the runner with
 * every job and the crontab.
 */
export async function startWorkerProcess(
  source: Record<string, string | undefined> = process.env,
  log: (line: string) => void = (line) => console.info(line),
): Promise<WorkerProcess> {
  const env = parseWorkerEnv(source);
  const connectionString = env.DATABASE_URL ?? (await ensurePostgres({ purpose: 'dev', log }));
  const libsql = createDb(env.LIBSQL_URL ?? defaultLibsqlUrl(), env.LIBSQL_AUTH_TOKEN);
  await migrateDb(libsql);
  const enqueue = createEnqueue(connectionString, { jobs: allJobs });
  try {
    const deps = await createJobDeps({ env, db: libsql.db, enqueue, hosts: unwiredHosts(log), source });
    const runner = await startJobWorker({
      connectionString,
      jobs: allJobs,
      deps,
      concurrency: env.WORKER_CONCURRENCY,
      cron: parsedCrontab(),
    });
    log(
      `[worker] ready: ${allJobs.length} jobs, concurrency ${env.WORKER_CONCURRENCY}, queue ${redact(connectionString)}, app data ${libsql.url}`,
    );
    return {
      runner,
      async close() {
        await enqueue.release();
        libsql.client.close();
      },
    };
  } catch (error) {
    await enqueue.release().catch(() => {});
    libsql.client.close();
    throw error;
  }
}
