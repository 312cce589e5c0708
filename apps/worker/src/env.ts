import { z } from 'zod';

/**
 * Every setting the worker reads, validated once at start. Defaults are the embedded local setup: the
 * development Postgres and the libSQL file under .data/.
 */
const schema = z.object({
  /** The job queue. Unset: the embedded development Postgres under .data/postgres (SPEC §6). */
  DATABASE_URL: z.string().trim().min(1).optional(),
  /** App data. Unset: the file .data/app.db. */
  LIBSQL_URL: z.string().trim().min(1).optional(),
  LIBSQL_AUTH_TOKEN: z.string().optional(),
  /** Jobs run at once; provisioning is mostly waiting on hosts, so more than the core count is fine. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Production hostname; agents live at https://{username}.DOMAIN/agent. */
  DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'DOMAIN is a bare host name such as example.com')
    .optional(),
  /** Where the portal answers when DOMAIN is unset; agents are proxied at {PORTAL_URL}/agent. */
  PORTAL_URL: z.url().default('http://localhost:3000'),
  /** Time limit for one host script call, in seconds. */
  HOST_SCRIPT_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3_600).default(300),
});

export type WorkerEnv = z.infer<typeof schema>;

export function parseWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid worker environment:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** The public URL of a person's agent. */
export function agentUrlFor(env: Pick<WorkerEnv, 'DOMAIN' | 'PORTAL_URL'>, username: string): string {
  if (env.DOMAIN) return `https://${username}.${env.DOMAIN}/agent`;
  return `${env.PORTAL_URL.replace(/\/+$/, '')}/agent`;
}
