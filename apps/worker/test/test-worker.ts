import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, type DbHandle } from '@pocket-smyth/db';
import { createFakeDocker, type FakeDocker } from '@pocket-smyth/hosts/testing';
import { allJobs, createEnqueue, type JobEnqueuer } from '@pocket-smyth/jobs';
import { createScratchDatabase, type ScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { parseWorkerEnv } from '../src/env';
import { startWorkerProcess, type WorkerProcess } from '../src/start-worker';

/** A worker as `pnpm start` builds it, with everything it runs against, made for one test file. */
export interface TestWorker {
  /** The job queue: a scratch database of the test Postgres. */
  database: ScratchDatabase;
  /** A temp folder holding the libSQL file and the fake docker's records. */
  dir: string;
  /** The `docker` the host scripts call (records its argv), on the scripts' PATH. */
  fake: FakeDocker;
  worker: WorkerProcess;
  /** The app's side of the libSQL file, for arranging and checking rows. */
  app: DbHandle;
  /** What the web app enqueues with. */
  enqueue: JobEnqueuer;
  /** Stops the worker and removes what it ran on; safe after a failed start. */
  stop(): Promise<void>;
}

/**
 * Starts a worker on a fresh queue database and libSQL file, in subdomain mode (`example.test`), with
 * the real host scripts calling the fake docker, and without the crontab. `env` adds to or overrides
 * the worker's environment.
 */
export async function startTestWorker(name: string, env: Record<string, string> = {}): Promise<TestWorker> {
  const database = await createScratchDatabase(await testPostgresUrl(), name);
  const dir = mkdtempSync(path.join(tmpdir(), `pocket-smyth-${name}-`));
  const fake = createFakeDocker(path.join(dir, 'docker'));
  const libsqlUrl = `file:${path.join(dir, 'app.db')}`;
  const cleanUp = async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  let worker: WorkerProcess;
  try {
    worker = await startWorkerProcess(
      parseWorkerEnv({
        DATABASE_URL: database.url,
        // The embedded defaults (the local host's agent state) stay in the test's own folder.
        DATA_DIR: dir,
        LIBSQL_URL: libsqlUrl,
        WORKER_CONCURRENCY: '4',
        DOMAIN: 'example.test',
        HOST_SCRIPT_ENV: JSON.stringify(fake.env),
        ...env,
      }),
      () => {},
      // The tests poll hosts and reconcile by hand; a minute tick of the crontab would do it again.
      { crontab: false },
    );
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const app = createDb(libsqlUrl);
  const enqueue = createEnqueue(database.url, { jobs: allJobs });
  return {
    database,
    dir,
    fake,
    worker,
    app,
    enqueue,
    async stop() {
      await worker.runner.stop('test done').catch(() => {});
      await worker.close();
      await enqueue.release();
      app.client.close();
      await cleanUp();
    },
  };
}
