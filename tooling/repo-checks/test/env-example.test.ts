/**
 * `.env.example` is the one list of settings (docs/ARCHITECTURE.md, "Configuration"): every variable an
 * app's env schema knows, and every `${VAR}` docker-compose.yml reads, is in it; and it lists nothing
 * that nobody reads. The schemas are the apps' own (apps/web/src/env.ts, apps/worker/src/env.ts, each
 * composing its packages' env fragments) plus the tests' Postgres fragment.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebEnv, webEnvFragments } from '../../../apps/web/src/env';
import { parseWorkerEnv, workerEnvFragments } from '../../../apps/worker/src/env';
import { postgresTestEnv } from '../../../packages/postgres/src/env';
import { repoRoot } from '../src/workspace';

/** A zod object fragment, as far as this test needs it. */
type Fragment = { keyof(): { options: readonly string[] } };

const keysOf = (fragments: Record<string, Fragment>) =>
  Object.fromEntries(Object.entries(fragments).map(([name, f]) => [name, [...f.keyof().options]]));

const schemas = {
  web: keysOf(webEnvFragments),
  worker: keysOf(workerEnvFragments),
  tests: keysOf({ postgres: postgresTestEnv }),
};
const schemaKeys = new Set(Object.values(schemas).flatMap((app) => Object.values(app).flat()));

const envExample = readFileSync(path.join(repoRoot, '.env.example'), 'utf8');
/** `NAME=value` lines, and `# NAME=value` for the few that are documented but not to be set (NODE_ENV). */
const listed = new Map(
  [...envExample.matchAll(/^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [
    m[2]!,
    { commented: Boolean(m[1]), value: m[3]! },
  ]),
);

const compose = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
/** `${NAME}`, `${NAME:-default}`, `${NAME?err}`…, but not `$${…}` (compose's escaped dollar). */
const composeKeys = new Set([...compose.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));

/** Listed for the host scripts, which read them from the environment the worker passes on. */
const hostScriptKeys = new Set(['AGENT_RUNTIME']);

describe('.env.example', () => {
  it('the scan sees the schemas, the example and the compose file', () => {
    expect(schemaKeys.size).toBeGreaterThan(40);
    expect(schemaKeys).toContain('AUTH_SECRET');
    expect(schemaKeys).toContain('WORKER_CONCURRENCY');
    expect(listed.size).toBeGreaterThan(40);
    expect(composeKeys).toContain('ACME_EMAIL');
  });

  it('lists every variable of every env schema', () => {
    const missing = Object.entries(schemas).flatMap(([app, fragments]) =>
      Object.entries(fragments).flatMap(([fragment, keys]) =>
        keys.filter((key) => !listed.has(key)).map((key) => `${key} (${app}: ${fragment})`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('lists every variable that docker-compose.yml interpolates', () => {
    expect([...composeKeys].filter((key) => !listed.has(key))).toEqual([]);
  });

  it('lists nothing that neither an app, the tests, docker compose nor the host scripts read', () => {
    const unknown = [...listed.keys()].filter(
      (key) => !schemaKeys.has(key) && !composeKeys.has(key) && !hostScriptKeys.has(key),
    );
    expect(unknown).toEqual([]);
  });

  it('holds values both apps accept, as a .env copied from it gives them (docker compose)', () => {
    const asDotEnv = Object.fromEntries(
      [...listed].filter(([, { commented }]) => !commented).map(([key, { value }]) => [key, value]),
    );
    expect(() => parseWorkerEnv({ ...asDotEnv, NODE_ENV: 'production' })).not.toThrow();
    expect(() =>
      parseWebEnv({ ...asDotEnv, NODE_ENV: 'production', AUTH_SECRET: 'a-production-secret-of-32-chars!!' }),
    ).not.toThrow();
  });
});

describe('the composed env schemas', () => {
  it('give each variable to one fragment of an app, so no two fragments disagree about it', () => {
    for (const fragments of [schemas.web, schemas.worker]) {
      const all = Object.values(fragments).flat();
      expect(all.filter((key, i) => all.indexOf(key) !== i)).toEqual([]);
    }
  });

  it('need no configuration at all: every default is the embedded one', () => {
    expect(() => parseWorkerEnv({})).not.toThrow();
    expect(parseWebEnv({ NODE_ENV: 'development' })).toMatchObject({
      PORT: 3000,
      AUTH_DEV_LOGIN: true,
      PORTAL_URL: 'http://localhost:3000',
    });
  });
});
