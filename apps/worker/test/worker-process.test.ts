import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agents, createDb, runSteps, runs } from '@pocket-smyth/db';
import { agentJobKey, allJobs, createEnqueue } from '@pocket-smyth/jobs';
import { createScratchDatabase, type ScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const workerDir = path.resolve(import.meta.dirname, '..');

/** The real `pnpm start` entry point, as a child process. */
describe('the worker process', () => {
  let database: ScratchDatabase;
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    database = await createScratchDatabase(await testPostgresUrl(), 'worker');
    dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-worker-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: workerDir,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        LIBSQL_URL: `file:${path.join(dir, 'app.db')}`,
        DATA_DIR: dir,
        WORKER_CONCURRENCY: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await vi.waitFor(() => expect(output).toContain('[worker] ready'), { timeout: 30_000, interval: 100 });
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates libSQL at start, runs a job end to end, and stops cleanly on SIGTERM', async () => {
    const app = createDb(`file:${path.join(dir, 'app.db')}`);
    try {
      // A deleted person's agent that never reached a host: deprovisioning needs no host at all.
      await app.db
        .insert(agents)
        .values({ id: 'gone', username: 'gone', desiredState: 'absent', observedState: 'absent' });
      const enqueue = createEnqueue(database.url, { jobs: allJobs });
      await enqueue([{ name: 'agent.reconcile', payload: { agentId: 'gone' }, key: agentJobKey('gone') }]);
      await enqueue.release();

      await vi.waitFor(
        async () => expect(await app.db.select().from(agents).where(eq(agents.id, 'gone'))).toEqual([]),
        { timeout: 15_000, interval: 100 },
      );
      const [run] = await app.db.select().from(runs).where(eq(runs.agentId, 'gone'));
      expect(run).toMatchObject({ kind: 'deprovision', status: 'succeeded' });
      const steps = await app.db
        .select()
        .from(runSteps)
        .where(eq(runSteps.runId, run!.id))
        .orderBy(asc(runSteps.position));
      expect(steps.map((s) => [s.name, s.status, s.message])).toEqual([
        ['remove agent', 'skipped', 'Never placed on a host'],
        ['update identity provider', 'skipped', 'Identity provider not configured'],
      ]);
    } finally {
      app.client.close();
    }

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('[worker] stopped');
    expect(output).toMatch(/\[worker\] ok {5}agent\.reconcile #\d+/);
  });
});
