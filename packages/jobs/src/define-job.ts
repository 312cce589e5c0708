import type { z } from 'zod';
import { type AnyJobSpec, defineJobSpec, type JobSpec } from './contract';

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

/** A job's spec (`src/contract/*.ts`) with the handler that runs it. */
export interface JobDefinition<
  TName extends string = string,
  TSchema extends z.ZodType = z.ZodType,
  TKey extends string | null = string | null,
  TDeps = unknown,
> extends JobSpec<TName, TSchema, TKey> {
  // A method signature, so a list of concrete definitions is a list of `AnyJobDefinition`.
  handler(payload: z.output<TSchema>, context: JobContext<TDeps>): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: the worker's deps type is whatever the caller passes
export type AnyJobDefinition<TDeps = any> = JobDefinition<string, z.ZodType, string | null, TDeps>;

export type PayloadOf<TJob> =
  TJob extends JobSpec<string, infer TSchema, string | null> ? z.output<TSchema> : never;

/**
 * Attaches a handler to a job's spec: `defineJob(mailSendSpec, handler)`. The one-object form
 * (`defineJob({ name, payload, key, maxAttempts, handler })`) declares a job with no spec of its own,
 * for tests and tools; the product's jobs all have specs, so the portal can build their requests.
 */
export function defineJob<
  const TName extends string,
  TSchema extends z.ZodType,
  TKey extends string | null,
  TDeps,
>(
  spec: JobSpec<TName, TSchema, TKey>,
  handler: (payload: z.output<TSchema>, context: JobContext<TDeps>) => Promise<void>,
): JobDefinition<TName, TSchema, TKey, TDeps>;
export function defineJob<
  const TName extends string,
  TSchema extends z.ZodType,
  TKey extends string | null,
  TDeps,
>(
  definition: JobSpec<TName, TSchema, TKey> & {
    handler: (payload: z.output<TSchema>, context: JobContext<TDeps>) => Promise<void>;
  },
): JobDefinition<TName, TSchema, TKey, TDeps>;
export function defineJob(
  spec: AnyJobSpec & { handler?: AnyJobDefinition['handler'] },
  handler?: AnyJobDefinition['handler'],
): AnyJobDefinition {
  const run = handler ?? spec.handler;
  if (!run) throw new Error(`${spec.name}: a job needs a handler`);
  return { ...defineJobSpec(spec), handler: run };
}
