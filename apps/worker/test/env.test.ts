/** The worker's composed configuration (src/env.ts), and `pnpm start` refusing a bad one at once. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { workspaceRoot } from '@pocket-smyth/db';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidEnvError, localHostEnv, parseWorkerEnv } from '../src/env';

const workerDir = path.resolve(import.meta.dirname, '..');

const problemsOf = (source: Record<string, string>) => {
  try {
    parseWorkerEnv(source);
  } catch (error) {
    if (error instanceof InvalidEnvError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
};

describe('the worker env', () => {
  it('starts with no configuration on the embedded defaults', () => {
    expect(parseWorkerEnv({})).toMatchObject({
      WORKER_CONCURRENCY: 4,
      HOST_SCRIPT_TIMEOUT_SECONDS: 300,
      PORTAL_URL: 'http://localhost:3000',
      HOST_SCRIPT_ENV: {},
      LOCAL_HOST_CAPACITY: 10,
    });
  });

  it('names every bad variable at once, across fragments and cross-variable rules', () => {
    expect(
      problemsOf({
        WORKER_CONCURRENCY: '0',
        AGENT_CPUS: 'two',
        HOST_SCRIPT_ENV: '{"AGENT_RUNTIME":1}',
        GRAPH_TENANT_ID: 'contoso.onmicrosoft.com',
        GRAPH_CLIENT_ID: 'client',
        GRAPH_CLIENT_SECRET: 'secret',
        RESEND_API_KEY: 're_123',
        LIBSQL_URL: '.data/app.db',
        DOMAIN: 'https://example.com',
      }).sort(),
    ).toEqual(
      [
        'WORKER_CONCURRENCY',
        'AGENT_CPUS',
        'HOST_SCRIPT_ENV',
        'GRAPH_B2C_EXTENSION_APP_ID',
        'MAIL_FROM',
        'LIBSQL_URL',
        'DOMAIN',
      ].sort(),
    );
  });

  it("gives the local host's scripts an agent state dir under DATA_DIR, never the home directory", () => {
    const root = workspaceRoot();
    expect(localHostEnv(parseWorkerEnv({}))).toEqual({ AGENT_STATE_DIR: path.join(root, '.data', 'agents') });
    expect(localHostEnv(parseWorkerEnv({ DATA_DIR: '/srv/ps' }))).toEqual({
      AGENT_STATE_DIR: '/srv/ps/agents',
    });
    expect(localHostEnv(parseWorkerEnv({ DATA_DIR: 'rel-data', AGENT_STATE_DIR: '' }))).toEqual({
      AGENT_STATE_DIR: path.join(root, 'rel-data', 'agents'),
    });
    expect(localHostEnv(parseWorkerEnv({ AGENT_STATE_DIR: 'state/agents' }))).toEqual({
      AGENT_STATE_DIR: path.join(root, 'state', 'agents'),
    });
  });

  it('reads an empty value as unset, as a .env copied from .env.example has them', () => {
    const env = parseWorkerEnv({ AGENT_IMAGE: '', AGENT_FORWARD_AUTH_URL: '', WORKER_CONCURRENCY: ' ' });
    expect(env.AGENT_IMAGE).toBeUndefined();
    expect(env.WORKER_CONCURRENCY).toBe(4);
  });
});

describe('pnpm start with a bad configuration', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-bad-env-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits non-zero within seconds, naming every bad variable, before touching anything', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: workerDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        WORKER_CONCURRENCY: 'many',
        RESEND_API_KEY: 're_123',
        HOST_KEY_ENCRYPTION_KEY: 'not-32-bytes',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const seconds = (Date.now() - started) / 1_000;

    expect(code).toBe(1);
    expect(seconds).toBeLessThan(10);
    expect(stderr).toContain('[worker] cannot start: Invalid configuration: 3 problem(s)');
    expect(stderr).toMatch(/WORKER_CONCURRENCY: .*expected number/);
    expect(stderr).toMatch(/MAIL_FROM: MAIL_FROM is required when RESEND_API_KEY is set/);
    expect(stderr).toMatch(/HOST_KEY_ENCRYPTION_KEY: HOST_KEY_ENCRYPTION_KEY must be 32 bytes/);
    // Not a stack trace: the message is the whole story.
    expect(stderr).not.toMatch(/\n\s+at /);
    // Checked before the database, the queue or the embedded Postgres were touched.
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
