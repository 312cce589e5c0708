import { z } from 'zod';

/**
 * Every setting the web app reads, validated once at start-up. Defaults are the embedded local setup:
 * a libSQL file under .data/, development sign-in on, everything on http://localhost:3000.
 */
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LIBSQL_URL: z.string().optional(),
    LIBSQL_AUTH_TOKEN: z.string().optional(),
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
    AUTH_URL: z.url().optional(),
    AUTH_DEV_LOGIN: flag(true),
    ADMIN_EMAILS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      ),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    OIDC_NAME: z.string().default('Single sign-on'),
    DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+$/, 'DOMAIN is a bare host name such as example.com')
      .optional(),
    MAGIC_LINK_MAX_AGE_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(15 * 60),
    API_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    HOST_KEY_ENCRYPTION_KEY: z.string().trim().min(1).optional(),
    // The local /agent proxy (src/server/agent-upstream-rule.mjs; server.mjs reads the same three).
    /** Where a person's agent listens, `{username}`/`{port}` filled in. Empty: http://127.0.0.1:{port}. */
    AGENT_UPSTREAM_TEMPLATE: z.string().optional(),
    /** `1` or `true`: the agent gets paths without the `/agent` prefix. */
    AGENT_UPSTREAM_STRIP_PREFIX: z
      .string()
      .optional()
      .transform((v) => v === '1' || v === 'true'),
    /** The process runtime's state dir (port files), the worker's too. Empty: ~/.pocket-smyth/agents. */
    AGENT_STATE_DIR: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    // `next build` imports server modules too; the secret is only needed once the server runs.
    const building = process.env.NEXT_PHASE === 'phase-production-build';
    if (env.NODE_ENV === 'production' && !env.AUTH_SECRET && !building) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'AUTH_SECRET is required in production',
      });
    }
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'Set all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none',
      });
    }
  });

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}`);
  }
  return parsed.data;
}

export const env = load();

/** The development sign-in is never available in production, whatever AUTH_DEV_LOGIN says. */
export const devLoginEnabled = env.NODE_ENV !== 'production' && env.AUTH_DEV_LOGIN;
