import type { z } from 'zod';

/** What a handler gets besides its payload. */
export interface JobContext<TDeps> {
  deps: TDeps;
  /** Aborted when the worker shuts down (after its grace period) or the job is cancelled. */
  signal: AbortSignal;
  job: {
    id: string;
    /** 1 on the first try. */
    attempt: number;
    maxAttempts: number;
    /** No retry follows if this attempt fails. */
    isLastAttempt: boolean;
    key: string | null;
  };
}

export interface JobDefinition<TName extends string = string, TPayload = unknown, TDeps = unknown> {
  name: TName;
  /** Validated on enqueue and again when the job runs; an invalid payload fails at once, permanently. */
  payload: z.ZodType<TPayload>;
  /** The job key (graphile-worker job_key): jobs with the same key collapse into one. Null: no key. */
  key: (payload: TPayload) => string | null;
  /** Optional named queue: jobs in one queue run one at a time. */
  queue?: (payload: TPayload) => string | null;
  maxAttempts: number;
  handler: (payload: TPayload, context: JobContext<TDeps>) => Promise<void>;
}

// Handlers are contravariant in their payload, so a list of concrete definitions needs `any` here.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyJobDefinition<TDeps = any> = JobDefinition<string, any, TDeps>;

export type PayloadOf<TJob> = TJob extends JobDefinition<string, infer P, infer _D> ? P : never;

/** Declares a job once: its name, payload schema, key, retry budget and handler. */
export function defineJob<const TName extends string, TSchema extends z.ZodType, TDeps>(definition: {
  name: TName;
  payload: TSchema;
  key: (payload: z.output<TSchema>) => string | null;
  queue?: (payload: z.output<TSchema>) => string | null;
  maxAttempts: number;
  handler: (payload: z.output<TSchema>, context: JobContext<TDeps>) => Promise<void>;
}): JobDefinition<TName, z.output<TSchema>, TDeps> {
  if (!Number.isInteger(definition.maxAttempts) || definition.maxAttempts < 1) {
    throw new Error(`${definition.name}: maxAttempts must be a positive integer`);
  }
  return definition as JobDefinition<TName, z.output<TSchema>, TDeps>;
}
