import { existsSync, readFileSync } from 'node:fs';
import { parseEnv as parseDotEnv } from 'node:util';
import { z } from 'zod';

/**
 * Where things are reached (docs/ARCHITECTURE.md, "Hostnames"), as a zod fragment both apps compose into
 * their env.ts: the web app for cookies, redirects and agent links, the worker for the URLs it writes to
 * the identity provider and into mails. Unset DOMAIN: one origin, PORTAL_URL, with agents under /agent.
 */
export const hostnamesEnv = z.object({
  /** Subdomain mode: login.DOMAIN for sign-in, {username}.DOMAIN per person. A bare host name. */
  DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+$/, 'DOMAIN is a bare host name such as example.com')
    .optional(),
  /** Where the portal answers when DOMAIN is unset (agent URLs, mail links). */
  PORTAL_URL: z.url().default('http://localhost:3000'),
});

export type HostnamesEnv = z.infer<typeof hostnamesEnv>;

/** Thrown at start-up by `parseEnv`; the message names every bad variable, one per line. */
export class InvalidEnvError extends Error {
  override readonly name = 'InvalidEnvError';
  readonly problems: readonly { variable: string; message: string }[];

  constructor(error: z.ZodError) {
    const problems = error.issues.map((issue) => ({
      variable: issue.path.map(String).join('.') || '(environment)',
      message: issue.message,
    }));
    const summary = `Invalid configuration: ${problems.length} problem(s); .env.example describes every variable.`;
    super([summary, ...problems.map((p) => `  ${p.variable}: ${p.message}`)].join('\n'));
    this.problems = problems;
  }
}

/**
 * An app's composed schema applied to `source` (its environment): the parsed configuration, or an
 * `InvalidEnvError` naming every bad variable. Empty values count as unset: a `.env` copied from
 * .env.example (docker compose) sets every name.
 */
export function parseEnv<TSchema extends z.ZodType>(
  schema: TSchema,
  source: Readonly<Record<string, string | undefined>>,
): z.output<TSchema> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) if (value?.trim()) present[name] = value;
  const parsed = schema.safeParse(present);
  if (!parsed.success) throw new InvalidEnvError(parsed.error);
  return parsed.data;
}

/**
 * Fills `target` (the process environment) from a dotenv file, for `pnpm dev`, `pnpm start` and the
 * worker alike: the repository's `.env`, the same file docker compose reads. A variable already set
 * wins over the file, so the environment and the command line keep the last word. No file: nothing
 * happens. Returns the names it set. (apps/web/server.mjs does the same in plain JavaScript.)
 */
export function fillFromDotEnvFile(
  file: string,
  target: Record<string, string | undefined> = process.env,
): string[] {
  if (!existsSync(file)) return [];
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseDotEnv(readFileSync(file, 'utf8')))) {
    if (target[name] !== undefined) continue;
    target[name] = value;
    set.push(name);
  }
  return set;
}
