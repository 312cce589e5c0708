import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { approvePeople } from '@pocket-smyth/core';
import { createDb, type DbHandle, migrateDb } from '@pocket-smyth/db';
import { createFakeDocker, FAKE_DOCKER_BIN_DIR, type FakeDocker } from '@pocket-smyth/hosts/testing';
import { allJobs, createEnqueue, type JobEnqueuer } from '@pocket-smyth/jobs';
import { createScratchDatabase, type ScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  agentOf,
  changeDeps,
  expectTruthfulTimeline,
  pendingPerson,
  runsOf,
  stepsOf,
  waitForObserved,
} from './support';

const workerDir = path.resolve(import.meta.dirname, '..');

/** The real `pnpm start` worker, SIGKILLed in the middle of a provision and started again. */
describe('a worker killed mid-provision', () => {
  let database: ScratchDatabase;
  let dir: string;
  let fake: FakeDocker;
  let app: DbHandle;
  let enqueue: JobEnqueuer;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  function startWorker(): { child: ChildProcess; ready: Promise<void>; exited: Promise<unknown> } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: workerDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const ready = vi.waitFor(() => expect(output).toContain('[worker] ready'), {
      timeout: 30_000,
      interval: 100,
    });
    return { child, ready, exited };
  }

  beforeAll(async () => {
    database = await createScratchDatabase(await testPostgresUrl(), 'killed');
    dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-killed-'));
    fake = createFakeDocker(path.join(dir, 'docker'));
    // A docker that takes its time creating containers, so the kill lands inside the provision script.
    const slowBin = path.join(dir, 'slow-bin');
    mkdirSync(slowBin);
    writeFileSync(
      path.join(slowBin, 'docker'),
      `#!/usr/bin/env bash\nif [[ "$1" == run || "$1" == create ]]; then sleep 3; fi\nexec ${JSON.stringify(path.join(FAKE_DOCKER_BIN_DIR, 'docker'))} "$@"\n`,
    );
    chmodSync(path.join(slowBin, 'docker'), 0o755);
    const libsqlUrl = `file:${path.join(dir, 'app.db')}`;
    app = createDb(libsqlUrl);
    await migrateDb(app);
    env = {
      ...process.env,
      DATABASE_URL: database.url,
      LIBSQL_URL: libsqlUrl,
      DATA_DIR: dir,
      WORKER_CONCURRENCY: '2',
      DOMAIN: 'example.test',
      HOST_SCRIPT_ENV: JSON.stringify({ ...fake.env, PATH: `${slowBin}:${fake.env.PATH}` }),
    };
    enqueue = createEnqueue(database.url, { jobs: allJobs });
  });

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await enqueue?.release();
    app?.client.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the run after a restart with one container and a truthful timeline', async () => {
    const first = startWorker();
    await first.ready;
    const personId = await pendingPerson(app.db, 'gina');
    await approvePeople(app.db, changeDeps(enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await vi.waitFor(
      async () => {
        const [run] = await runsOf(app.db, agent.id);
        const steps = run ? await stepsOf(app.db, run.id) : [];
        expect(steps.find((s) => s.name === 'run provision script')?.status).toBe('running');
      },
      { timeout: 30_000, interval: 50 },
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startWorker();
    await second.ready;
    await waitForObserved(app.db, agent.id, 'running', 60_000);
    const all = await runsOf(app.db, agent.id);
    const last = all.at(-1)!;
    expect(last).toMatchObject({ kind: 'provision', status: 'succeeded' });
    const steps = await stepsOf(app.db, last.id);
    expectTruthfulTimeline(steps, [
      'place on host',
      'run provision script',
      'wait for health',
      'update identity provider',
      'send email',
    ]);
    // No run claims to be still going, and no run that was cut short claims success.
    for (const run of all) expect(['succeeded', 'failed', 'cancelled']).toContain(run.status);
    expect(fake.containers().filter((c) => c.Name === '/ps-agent-gina')).toHaveLength(1);
    expect(fake.container('ps-agent-gina')?.State.Running).toBe(true);
    // The step the kill interrupted says it ran twice; the step before it ran once.
    expect(steps.find((s) => s.name === 'run provision script')?.attempts).toBeGreaterThanOrEqual(2);
    expect(steps.find((s) => s.name === 'place on host')?.attempts).toBe(1);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 120_000);
});
