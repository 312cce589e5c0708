import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from './test-worker';

const workerDir = path.resolve(import.meta.dirname, '..');

/** The compose healthcheck's command, as a child process. */
function healthcheck(databaseUrl: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/healthcheck.ts'], {
    cwd: workerDir,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the worker healthcheck', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startTestWorker('healthcheck');
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('passes while a worker on this machine beats, and fails on a queue no worker serves', async () => {
    expect(healthcheck(worker.database.url).status).toBe(0);

    const empty = await createScratchDatabase(await testPostgresUrl(), 'healthcheck_empty');
    try {
      const result = healthcheck(empty.url);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('no heartbeat from a worker');
    } finally {
      await empty.drop();
    }
  });
});
