import { type AddJobsJobSpec, makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import type { AnyJobSpec, JobRequest, JobRequestOf } from './contract';

/**
 * A request as it reaches the queue: the shape every `JobRequest` has, checked at run time against the
 * job's spec (`jobSpecs`), whatever its static type said.
 */
export interface UncheckedJobRequest {
  name: string;
  payload: unknown;
  key: string;
}

/**
 * The portal's `Enqueue`, backed by graphile-worker. Its requests are typed by the jobs it was made
 * with (`createEnqueue`); the product's jobs by default.
 */
export interface JobEnqueuer<TRequest extends UncheckedJobRequest = JobRequest> {
  (requests: readonly TRequest[]): Promise<void>;
  /** Migrates the graphile-worker schema if needed and returns the utils (shared). */
  workerUtils(): Promise<WorkerUtils>;
  release(): Promise<void>;
}

export interface CreateEnqueueOptions<TJobs extends readonly AnyJobSpec[] = readonly AnyJobSpec[]> {
  /** The jobs that may be enqueued (specs or definitions); requests for anything else are refused. */
  jobs: TJobs;
  workerSchema?: string;
}

/**
 * Builds graphile-worker job specs from requests: payloads validated with each job's schema, keys and
 * max attempts from the definition. Several requests with one key in one batch collapse to the last:
 * Postgres cannot upsert the same row twice in one statement, and the last request is the newest intent.
 */
export function jobSpecs(
  requests: readonly UncheckedJobRequest[],
  definitions: ReadonlyMap<string, AnyJobSpec>,
): AddJobsJobSpec[] {
  const byKey = new Map<string, AddJobsJobSpec>();
  const unkeyed: AddJobsJobSpec[] = [];
  for (const request of requests) {
    const definition = definitions.get(request.name);
    if (!definition) throw new Error(`Unknown job ${request.name}`);
    const payload = definition.payload.parse(request.payload);
    const key = definition.key(payload);
    if (request.key && key !== request.key) {
      throw new Error(`${request.name}: job key ${request.key} does not match the definition's ${key}`);
    }
    const queueName = definition.queue?.(payload) ?? undefined;
    const spec: AddJobsJobSpec = {
      identifier: definition.name,
      payload,
      maxAttempts: definition.maxAttempts,
      ...(definition.priority !== undefined ? { priority: definition.priority } : {}),
      ...(key ? { jobKey: key } : {}),
      ...(queueName ? { queueName } : {}),
    };
    if (key) {
      byKey.delete(key);
      byKey.set(key, spec);
    } else {
      unkeyed.push(spec);
    }
  }
  return [...byKey.values(), ...unkeyed];
}

/**
 * The API's `Enqueue`, backed by graphile-worker's batch `add_jobs`.
 *
 * Job key mode is `replace` (add_jobs' default; `preserve_run_at` off): a new request for a key whose job
 * is still waiting — even in retry backoff — resets it to run now with a fresh attempt budget. Handlers
 * read the desired state from libSQL when they run, so the newest request is the one that matters, and
 * an admin acting again should not wait out an old backoff. (A job that is already running keeps
 * running; graphile clears its key and queues the new one, which the per-agent queue runs after it.)
 */
export function createEnqueue<const TJobs extends readonly AnyJobSpec[]>(
  connectionString: string,
  options: CreateEnqueueOptions<TJobs>,
): JobEnqueuer<JobRequestOf<TJobs[number]>> {
  const definitions = new Map<string, AnyJobSpec>(options.jobs.map((job) => [job.name, job]));
  let utils: Promise<WorkerUtils> | undefined;

  const workerUtils = () => {
    utils ??= (async () => {
      const made = await makeWorkerUtils({ connectionString, schema: options.workerSchema });
      try {
        // The web app may enqueue before the worker has ever started; add_jobs needs the schema.
        await made.migrate();
      } catch (error) {
        await made.release();
        throw error;
      }
      return made;
    })();
    // A failed start (Postgres down) must not be cached: the next request tries again.
    utils.catch(() => {
      utils = undefined;
    });
    return utils;
  };

  const enqueue = async (requests: readonly UncheckedJobRequest[]) => {
    if (requests.length === 0) return;
    const specs = jobSpecs(requests, definitions);
    const made = await workerUtils();
    await made.addJobs(specs, false);
  };

  return Object.assign(enqueue, {
    workerUtils,
    async release() {
      const current = utils;
      utils = undefined;
      if (current) await (await current).release();
    },
  });
}
