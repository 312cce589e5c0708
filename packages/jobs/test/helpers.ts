import { createTestDb } from '@pocket-smyth/db/testing';
import { createScratchDatabase, type ScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { type Job, makeWorkerUtils, type Runner, type WorkerUtils } from 'graphile-worker';

export type TestDb = Awaited<ReturnType<typeof createTestDb>>;

/** A fresh Postgres database with graphile-worker's schema, and utils to look into it. */
export interface TestQueue {
  url: string;
  utils: WorkerUtils;
  /** Rows of graphile_worker.jobs (the public view), oldest first. */
  jobs(): Promise<QueueJob[]>;
  cleanup(): Promise<void>;
}

export interface QueueJob {
  id: string;
  task_identifier: string;
  key: string | null;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_at: Date | null;
  revision: number;
  queue_name: string | null;
}

export async function createTestQueue(): Promise<TestQueue> {
  const database: ScratchDatabase = await createScratchDatabase(await testPostgresUrl(), 'jobs');
  const utils = await makeWorkerUtils({ connectionString: database.url });
  await utils.migrate();
  return {
    url: database.url,
    utils,
    jobs: () =>
      utils.withPgClient(async (client) => {
        const { rows } = await client.query<QueueJob>(
          `select j.id, j.task_identifier, j.key, p.payload, j.attempts, j.max_attempts, j.last_error,
                  j.locked_at, j.revision, j.queue_name
             from graphile_worker.jobs j join graphile_worker._private_jobs p on p.id = j.id
            order by j.id`,
        );
        return rows;
      }),
    cleanup: async () => {
      await utils.release();
      await database.drop();
    },
  };
}

/** Resolves with the next job of `task` that ends (success or failure) on `runner`. */
export function nextJobEnd(runner: Runner, task: string): Promise<{ job: Job; error: unknown }> {
  return new Promise((resolve) => {
    const listener = ({ job, error }: { job: Job; error: unknown }) => {
      if (job.task_identifier !== task) return;
      runner.events.off('job:complete', listener);
      resolve({ job, error });
    };
    runner.events.on('job:complete', listener);
  });
}

export { createTestDb };
