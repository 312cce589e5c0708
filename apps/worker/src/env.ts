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
  /** Container image of new agents (docker runtime). Unset: the host's default, Agent Zero. */
  AGENT_IMAGE: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/,
      'AGENT_IMAGE is an image reference such as agent0ai/agent-zero:latest',
    )
    .optional(),
  /** CPU limit of each agent, in cores (at most two decimals). */
  AGENT_CPUS: z.coerce.number().positive().max(999).multipleOf(0.01).default(1),
  /** Memory limit of each agent, in MiB. */
  AGENT_MEMORY_MB: z.coerce.number().int().min(10).max(9_999_999).default(2048),
  /** The forward-auth endpoint Traefik asks. Unset: https://login.DOMAIN/api/forward-auth. */
  AGENT_FORWARD_AUTH_URL: z.url().optional(),
  /** Capacity of the `local` host the worker creates on a fresh install (no host rows). */
  LOCAL_HOST_CAPACITY: z.coerce.number().int().min(0).max(100_000).default(10),
  /** 32 bytes (base64 or hex) that decrypt ssh host keys stored encrypted (`enc:v1.…`). */
  HOST_KEY_ENCRYPTION_KEY: z.string().trim().min(1).optional(),
  /**
   * Extra environment for the host scripts on every host, as a JSON object, e.g.
   * {"AGENT_RUNTIME":"docker"} (set the runtime explicitly on production hosts).
   */
  HOST_SCRIPT_ENV: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text?.trim()) return {};
      try {
        return z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'HOST_SCRIPT_ENV is a JSON object of string values' });
        return z.NEVER;
      }
    }),
  /** How long host and agent samples are kept for charts, in hours. */
  HOST_SAMPLE_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24),
});

export type WorkerEnv = z.infer<typeof schema>;

export function parseWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid worker environment:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** The provision script's `domain`: DOMAIN, else the portal's host name (development). */
export function agentDomainFor(env: Pick<WorkerEnv, 'DOMAIN' | 'PORTAL_URL'>): string {
  return env.DOMAIN ?? new URL(env.PORTAL_URL).hostname.toLowerCase();
}

type PortalEnv = Pick<WorkerEnv, 'DOMAIN' | 'PORTAL_URL'>;

/** The portal's own origin in local (single-origin) mode. */
const localOrigin = (env: PortalEnv) => env.PORTAL_URL.replace(/\/+$/, '');

/** Where a person's pages live (SPEC §2): their own host in subdomain mode, else the portal itself. */
const personOrigin = (env: PortalEnv, username: string) =>
  env.DOMAIN ? `https://${username}.${env.DOMAIN}` : localOrigin(env);

/** The public URL of a person's agent. */
export function agentUrlFor(env: PortalEnv, username: string): string {
  return `${personOrigin(env, username)}/agent`;
}

/** A person's dashboard, linked from their mails. */
export function dashboardUrlFor(env: PortalEnv, username: string): string {
  return `${personOrigin(env, username)}/`;
}

/**
 * The portal's origin for pages that are nobody's own (the admin panel): login.DOMAIN in subdomain
 * mode, which sends a signed-in admin on to their own host with the same path.
 */
export function portalUrlFor(env: PortalEnv): string {
  return env.DOMAIN ? `https://login.${env.DOMAIN}` : localOrigin(env);
}
