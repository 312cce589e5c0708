import path from 'node:path';
import { fillFromDotEnvFile, hostnamesEnv, InvalidEnvError, parseEnv } from '@pocket-smyth/core/env';
import { agentStateDir, dataDir, workspaceRoot } from '@pocket-smyth/db';
import { dbEnv } from '@pocket-smyth/db/env';
import { emailEnv } from '@pocket-smyth/email/env';
import { graphEnv } from '@pocket-smyth/graph/env';
import { agentSecretsEnv, hostKeyEnv, hostScriptsEnv } from '@pocket-smyth/hosts/env';
import { postgresEnv } from '@pocket-smyth/postgres/env';
import { z } from 'zod';

/**
 * The worker's configuration: the env fragments of the packages it runs, plus its own, validated once
 * at start (main.ts exits naming every bad variable). Defaults are the embedded local setup: the
 * development Postgres and the libSQL file under .data/. This is the one module of the worker that reads
 * `process.env`; everything else gets the parsed values or settings made from them. Every variable is
 * listed in .env.example (tooling/repo-checks checks it).
 */

/** The worker's own settings: its runner, the agents it places on hosts, its housekeeping. */
export const workerAppEnv = z.object({
  /** Jobs run at once; provisioning is mostly waiting on hosts, so more than the core count is fine. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
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
  /**
   * How many health checks, one a second, a provision waits for a new container to run before the run
   * fails (and a rollout counts the agent failed). Raise it for images that start slowly.
   */
  AGENT_HEALTH_CHECKS: z.coerce.number().int().min(2).max(3_600).default(30),
  /** CPU limit of each agent, in cores (at most two decimals), where the owner's plan sets none. */
  AGENT_CPUS: z.coerce.number().positive().max(999).multipleOf(0.01).default(1),
  /** Memory limit of each agent, in MiB, where the owner's plan sets none. */
  AGENT_MEMORY_MB: z.coerce.number().int().min(10).max(9_999_999).default(2048),
  /** The forward-auth endpoint Traefik asks. Unset: https://login.DOMAIN/api/forward-auth. */
  AGENT_FORWARD_AUTH_URL: z.url().optional(),
  /**
   * The process runtime's state dir on the `local` host (the web app reads agents' port files there);
   * relative: from the workspace root. Empty: `<DATA_DIR>/agents`. Other hosts keep their own default.
   */
  AGENT_STATE_DIR: z.string().trim().optional(),
  /**
   * The most data a move carries from host to host, in bytes (the agent's volume or state directory as
   * a tar); a larger agent's move fails at once (data_too_large). 10 GiB by default.
   */
  AGENT_MOVE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10 ** 15)
    .default(10 * 1024 ** 3),
  /** Capacity of the `local` host the worker creates on a fresh install (no host rows). */
  LOCAL_HOST_CAPACITY: z.coerce.number().int().min(0).max(100_000).default(10),
  /** How long host and agent samples are kept for charts, in hours. */
  HOST_SAMPLE_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24),
});

/** Each fragment the worker composes, by the package it comes from (the .env.example test reads them). */
export const workerEnvFragments = {
  db: dbEnv,
  postgres: postgresEnv,
  hostnames: hostnamesEnv,
  email: emailEnv,
  graph: graphEnv,
  hostKey: hostKeyEnv,
  agentSecrets: agentSecretsEnv,
  hostScripts: hostScriptsEnv,
  worker: workerAppEnv,
} as const;

/** All of them at once: every fragment is checked, so one parse reports every bad variable. */
export const workerEnvSchema = dbEnv
  .and(postgresEnv)
  .and(hostnamesEnv)
  .and(emailEnv)
  .and(graphEnv)
  .and(hostKeyEnv)
  .and(agentSecretsEnv)
  .and(hostScriptsEnv)
  .and(workerAppEnv);

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export { InvalidEnvError };

/** The parsed configuration of `source` (tests pass their own), or the error naming every bad variable. */
export function parseWorkerEnv(source: Readonly<Record<string, string | undefined>>): WorkerEnv {
  return parseEnv(workerEnvSchema, source);
}

/**
 * The worker process's own configuration (main.ts): the environment, filled in from the repository's
 * `.env` (what is set wins over the file), as `pnpm dev` gives the web app.
 */
export function loadWorkerEnv(): WorkerEnv {
  fillFromDotEnvFile(path.join(workspaceRoot(), '.env'));
  return parseWorkerEnv(process.env);
}

/**
 * What the worker adds to the environment of the `local` host's scripts: AGENT_STATE_DIR, resolved
 * (`<DATA_DIR>/agents` when unset), so agents run on this machine keep their state with the rest of this
 * install's data, where the web app looks for their ports, and never in the home directory (the
 * scripts' own default). HOST_SCRIPT_ENV, set for every host, still wins.
 */
export function localHostEnv(env: Pick<WorkerEnv, 'AGENT_STATE_DIR' | 'DATA_DIR'>): Record<string, string> {
  return { AGENT_STATE_DIR: agentStateDir(env.AGENT_STATE_DIR, dataDir(env.DATA_DIR)) };
}

/** The provision script's `domain`: DOMAIN, else the portal's host name (development). */
export function agentDomainFor(env: Pick<WorkerEnv, 'DOMAIN' | 'PORTAL_URL'>): string {
  return env.DOMAIN ?? new URL(env.PORTAL_URL).hostname.toLowerCase();
}

type PortalEnv = Pick<WorkerEnv, 'DOMAIN' | 'PORTAL_URL'>;

/** The portal's own origin in local (single-origin) mode. */
const localOrigin = (env: PortalEnv) => env.PORTAL_URL.replace(/\/+$/, '');

/** Where a person's pages live (docs/ARCHITECTURE.md, "Hostnames"): their own host in subdomain mode, else the portal itself. */
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
