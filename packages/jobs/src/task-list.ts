import { setMaxListeners } from 'node:events';
import type { JobHelpers, Task, TaskList } from 'graphile-worker';
import { z } from 'zod';
import type { AnyJobDefinition, JobContext } from './define-job';
import { isPermanentError, PermanentJobError } from './errors';

export interface TaskListOptions {
  /** The graphile-worker schema; only needed to mark a job as permanently failed. */
  workerSchema?: string;
}

/**
 * graphile-worker has no "fail permanently" for a running job (its `permanentlyFailJobs` skips locked
 * rows). So we lower the job's `max_attempts` to the attempts it has used, on the row we hold the lock
 * on, and then throw: graphile records the error and, with no attempts left, never runs it again. The
 * in-memory job gets the same number so graphile emits `job:failed` for it.
 */
async function markPermanentlyFailed(helpers: JobHelpers, workerSchema: string): Promise<void> {
  await helpers.withPgClient((client) =>
    client.query(
      `update ${client.escapeIdentifier(workerSchema)}._private_jobs set max_attempts = attempts where id = $1`,
      [helpers.job.id],
    ),
  );
  helpers.job.max_attempts = helpers.job.attempts;
}

function taskFor<TDeps>(definition: AnyJobDefinition<TDeps>, deps: TDeps, workerSchema: string): Task {
  return async (rawPayload, helpers) => {
    const parsed = definition.payload.safeParse(rawPayload);
    if (!parsed.success) {
      await markPermanentlyFailed(helpers, workerSchema);
      throw new PermanentJobError(
        'invalid_payload',
        `${definition.name}: invalid payload: ${z.prettifyError(parsed.error)}`,
      );
    }
    const { job } = helpers;
    // graphile-worker hands every job of a worker the same abort signal. Each job gets its own, linked
    // to it, so listeners added by one job's script calls stay on that job's signal and go with it; the
    // shared signal holds one listener per running job, bounded by the worker's concurrency.
    const jobAbort = new AbortController();
    const shared = helpers.abortSignal;
    const forward = () => jobAbort.abort(shared?.reason);
    if (shared) {
      setMaxListeners(0, shared);
      if (shared.aborted) forward();
      else shared.addEventListener('abort', forward, { once: true });
    }
    const context: JobContext<TDeps> = {
      deps,
      signal: jobAbort.signal,
      job: {
        id: job.id,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        isLastAttempt: job.attempts >= job.max_attempts,
        key: job.key,
      },
    };
    try {
      await definition.handler(parsed.data, context);
    } catch (error) {
      if (isPermanentError(error) && job.attempts < job.max_attempts) {
        await markPermanentlyFailed(helpers, workerSchema);
      }
      throw error;
    } finally {
      shared?.removeEventListener('abort', forward);
    }
  };
}

/** The graphile-worker task list for `definitions`, each handler receiving `deps`. */
export function createTaskList<TDeps>(
  definitions: readonly AnyJobDefinition<TDeps>[],
  deps: TDeps,
  options: TaskListOptions = {},
): TaskList {
  const workerSchema = options.workerSchema ?? 'graphile_worker';
  const taskList: TaskList = {};
  for (const definition of definitions) {
    if (taskList[definition.name]) throw new Error(`Job ${definition.name} is defined twice`);
    taskList[definition.name] = taskFor(definition, deps, workerSchema);
  }
  return taskList;
}
