import type { z } from 'zod';

/**
 * A job as the portal sees it: its name, payload schema, key, queue and retry budget — everything but
 * the handler, which packages/jobs attaches in `src/jobs/*.ts` (`defineJob(spec, handler)`). Requests
 * are built from these, so a job name or key is never written by hand.
 *
 * `key` and `queue` are method signatures on purpose: a list of specs with different payloads is then a
 * list of `AnyJobSpec` without `any`.
 */
export interface JobSpec<
  TName extends string = string,
  TSchema extends z.ZodType = z.ZodType,
  TKey extends string | null = string | null,
> {
  readonly name: TName;
  /** Validated on enqueue and again when the job runs; an invalid payload fails at once, permanently. */
  readonly payload: TSchema;
  /** The job key (graphile-worker job_key): jobs with the same key collapse into one. Null: no key. */
  key(payload: z.output<TSchema>): TKey;
  /** Optional named queue: jobs in one queue run one at a time. */
  queue?(payload: z.output<TSchema>): string | null;
  readonly maxAttempts: number;
  /** graphile-worker's priority: lower runs first (default 0). For reads someone is waiting on. */
  readonly priority?: number;
}

export type AnyJobSpec = JobSpec<string, z.ZodType, string | null>;

/** The request for one job of `TSpec` (a union of specs gives the union of their requests). */
export type JobRequestOf<TSpec extends AnyJobSpec> = TSpec extends AnyJobSpec
  ? {
      name: TSpec['name'];
      payload: z.input<TSpec['payload']>;
      /** Jobs with the same key collapse into one (graphile-worker job_key). */
      key: NonNullable<ReturnType<TSpec['key']>>;
    }
  : never;

/** Declares a job's contract once; `maxAttempts` must be a positive integer. */
export function defineJobSpec<
  const TName extends string,
  TSchema extends z.ZodType,
  TKey extends string | null,
>(spec: JobSpec<TName, TSchema, TKey>): JobSpec<TName, TSchema, TKey> {
  if (!Number.isInteger(spec.maxAttempts) || spec.maxAttempts < 1) {
    throw new Error(`${spec.name}: maxAttempts must be a positive integer`);
  }
  return spec;
}
