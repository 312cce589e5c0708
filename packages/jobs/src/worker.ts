import { EventEmitter } from 'node:events';
import {
  type Logger,
  type ParsedCronItem,
  type Runner,
  run,
  type WorkerEvents,
  type WorkerPool,
} from 'graphile-worker';
import type { AnyJobDefinition } from './define-job';
import { quietLogger } from './quiet-logger';
import { createTaskList } from './task-list';

export interface JobWorkerOptions<TDeps> {
  connectionString: string;
  jobs: readonly AnyJobDefinition<TDeps>[];
  deps: TDeps;
  /** Jobs run at once. Default 4. */
  concurrency?: number;
  /** Recurring jobs; none by default (tests and benchmarks). */
  cron?: ParsedCronItem[];
  logger?: Logger;
  events?: WorkerEvents;
  /** How long a graceful stop waits before aborting running jobs' signals. Default 10 s. */
  gracefulShutdownAbortTimeout?: number;
  /** Fallback poll for jobs scheduled in the future (retries); new jobs arrive by LISTEN/NOTIFY. */
  pollInterval?: number;
  workerSchema?: string;
}

/**
 * Starts graphile-worker 0.17 in library mode with our task list. Signals are ours to handle
 * (`noHandleSignals`): the caller stops the runner, so a test or the worker's main decides how.
 *
 * localQueue is on (0.17 supports it): the pool fetches a batch of jobs in one query and hands them to
 * its workers, instead of one query per job. Its size is concurrency + 1, graphile's suggested start —
 * enough to keep every slot fed, small enough that one worker does not hoard jobs another could run.
 *
 * Completions and failures go through graphile's batchers (delay 0: flushed on the next tick). Without a
 * batcher graphile does not await a job's completion, so `runner.stop()` could resolve while the
 * finished job is still locked in the database; the batchers are flushed before the pool terminates.
 */
export interface JobWorker extends Runner {
  /**
   * Fails the running jobs (so they are retried later) and stops at once. graphile 0.17's `runner.kill()`
   * does nothing once a graceful stop has begun, so a second SIGTERM needs this instead.
   */
  forceStop(reason: string): Promise<void>;
}

export async function startJobWorker<TDeps>(options: JobWorkerOptions<TDeps>): Promise<JobWorker> {
  const concurrency = options.concurrency ?? 4;
  const events: WorkerEvents = options.events ?? new EventEmitter();
  const pools: WorkerPool[] = [];
  events.on('pool:create', ({ workerPool }) => {
    pools.push(workerPool);
  });
  const runner = await run({
    connectionString: options.connectionString,
    concurrency,
    // Every slot may hold a connection (a job's own queries, plus completing it), and the pool itself
    // needs a few for fetching jobs, LISTEN and cron.
    maxPoolSize: concurrency + 4,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 2_000,
    gracefulShutdownAbortTimeout: options.gracefulShutdownAbortTimeout ?? 10_000,
    schema: options.workerSchema,
    logger: options.logger ?? quietLogger(),
    events,
    taskList: createTaskList(options.jobs, options.deps, { workerSchema: options.workerSchema }),
    parsedCronItems: options.cron ?? [],
    preset: {
      worker: { localQueue: { size: concurrency + 1 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 },
    },
  });
  return Object.assign(runner, {
    async forceStop(reason: string) {
      await Promise.allSettled(
        pools.filter((pool) => !pool._forcefulShuttingDown).map((pool) => pool.forcefulShutdown(reason)),
      );
    },
  });
}
