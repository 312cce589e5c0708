import { apiEnv } from '@pocket-smyth/api/env';
import { authEnv, devLoginEnabled as devLoginOf } from '@pocket-smyth/auth/env';
import { hostnamesEnv, InvalidEnvError, parseEnv } from '@pocket-smyth/core/env';
import { dbEnv } from '@pocket-smyth/db/env';
import { emailEnv } from '@pocket-smyth/email/env';
import { agentSecretsEnv, hostKeyEnv } from '@pocket-smyth/hosts/env';
import { postgresEnv } from '@pocket-smyth/postgres/env';
import { z } from 'zod';

/**
 * The web app's configuration: the env fragments of the packages it builds services from, plus its own,
 * validated once at start-up (instrumentation.ts exits naming every bad variable). Defaults are the
 * embedded local setup: a libSQL file under .data/, the embedded Postgres, development sign-in on,
 * everything on http://localhost:3000. This is the one module of the app that reads `process.env`
 * (besides Next's own NEXT_RUNTIME in instrumentation.ts); everything else gets `env` or settings made
 * from it. Every variable is listed in .env.example (tooling/repo-checks checks it).
 */

/** The app's own settings: its port and the local `/agent` proxy (server/agent-upstream-rule.mjs). */
export const webAppEnv = z.object({
  /** Port of `pnpm dev` / `pnpm start` (server.mjs reads it too). */
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** Where a person's agent listens, `{username}`/`{port}` filled in. Empty: http://127.0.0.1:{port}. */
  AGENT_UPSTREAM_TEMPLATE: z.string().trim().optional(),
  /** `1` or `true`: the agent gets paths without the `/agent` prefix. */
  AGENT_UPSTREAM_STRIP_PREFIX: z
    .enum(['true', 'false', '1', '0'], { error: 'AGENT_UPSTREAM_STRIP_PREFIX is true or false' })
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  /**
   * The process runtime's state dir (port files), the worker's too; relative: from the workspace root.
   * Empty: `<DATA_DIR>/agents`.
   */
  AGENT_STATE_DIR: z.string().trim().optional(),
  /**
   * How people reach an admin, shown on the pending, rejected and revoked screens: an email address or
   * an http(s) URL. Empty: those screens say an admin will be in touch.
   */
  ADMIN_CONTACT: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || z.email().safeParse(v).success || /^https?:\/\/\S+$/.test(v), {
      error: 'ADMIN_CONTACT is an email address or an http(s) URL',
    }),
});

/** Each fragment the app composes, by the package it comes from (the .env.example test reads them). */
export const webEnvFragments = {
  db: dbEnv,
  postgres: postgresEnv,
  auth: authEnv,
  hostnames: hostnamesEnv,
  api: apiEnv,
  email: emailEnv,
  hostKey: hostKeyEnv,
  agentSecrets: agentSecretsEnv,
  web: webAppEnv,
} as const;

/** All of them at once: every fragment is checked, so one parse reports every bad variable. */
export const webEnvSchema = dbEnv
  .and(postgresEnv)
  .and(authEnv)
  .and(hostnamesEnv)
  .and(apiEnv)
  .and(emailEnv)
  .and(hostKeyEnv)
  .and(agentSecretsEnv)
  .and(webAppEnv);

export type WebEnv = z.infer<typeof webEnvSchema>;

export { InvalidEnvError };

/** The parsed configuration, or the error naming every bad variable. */
export function parseWebEnv(source: Readonly<Record<string, string | undefined>>): WebEnv {
  return parseEnv(webEnvSchema, source);
}

// `next build` evaluates server modules in production mode without the deployment's secrets; the
// secret is required when the server starts (instrumentation.ts), not when it is built.
const BUILD_PLACEHOLDER_SECRET = 'build-time-placeholder-never-used-to-sign-anything';

function load(): WebEnv {
  const source: Record<string, string | undefined> = { ...process.env };
  if (process.env.NEXT_PHASE === 'phase-production-build' && !source.AUTH_SECRET?.trim()) {
    source.AUTH_SECRET = BUILD_PLACEHOLDER_SECRET;
  }
  return parseWebEnv(source);
}

export const env: WebEnv = load();

/** The development sign-in is never available in production, whatever AUTH_DEV_LOGIN says. */
export const devLoginEnabled = devLoginOf(env);
