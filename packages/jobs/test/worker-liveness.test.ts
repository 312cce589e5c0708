import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { WorkerEvents } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  defineJob,
  newestWorkerBeatAgeMs,
  releaseJobsOfDeadPools,
  silentLogger,
  startJobWorker,
  trackPoolLiveness,
  workerBeatingOn,
} from '../src';
import { createTestQueue, type TestQueue } from './helpers';

describe('jobs of a worker that died', () => {
  let queue: TestQueue;
  beforeAll(async () => {
    queue = await createTestQueue();
  });
  afterAll(async () => {
    await queue?.cleanup();
  });

  it('are handed back when the worker was SIGKILLed mid-job, and run to the end by the next worker', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/blocking-worker.ts')],
      {
        env: { ...process.env, QUEUE_URL: queue.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await vi.waitFor(() => expect(output).toContain('ready'), { timeout: 20_000, interval: 50 });
      await queue.utils.addJob('test.block', {}, { jobKey: 'block', maxAttempts: 5 });
      await vi.waitFor(() => expect(output).toMatch(/running \d+/), { timeout: 10_000, interval: 50 });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const [locked] = await queue.jobs();
    expect(locked).toMatchObject({ key: 'block', attempts: 1 });
    expect(locked?.locked_at).not.toBeNull();

    // Its process is gone, so its pool is dead at once: no need to wait for the heartbeat to go stale.
    const released = await releaseJobsOfDeadPools(queue.utils);
    expect(released).toHaveLength(1);
    const [free] = await queue.jobs();
    expect(free).toMatchObject({ key: 'block', attempts: 1, locked_at: null });

    const finished: string[] = [];
    const block = defineJob({
      name: 'test.block',
      payload: z.object({}),
      key: () => 'block',
      maxAttempts: 5,
      handler: async (_payload, { job }) => {
        finished.push(`attempt ${job.attempt}`);
      },
    });
    const runner = await startJobWorker({
      connectionString: queue.url,
      jobs: [block],
      deps: {},
      logger: silentLogger,
    });
    try {
      await vi.waitFor(async () => expect(await queue.jobs()).toEqual([]), { timeout: 10_000, interval: 50 });
    } finally {
      await runner.stop();
    }
    expect(finished).toEqual(['attempt 2']);
  });

  it('leaves recent locks of unknown pools alone, and frees old ones', async () => {
    const lock = (key: string, ageMs: number) =>
      queue.utils.withPgClient(async (client) => {
        const { rows } = await client.query<{ id: string }>(
          'select id from graphile_worker.add_job($1, $2::json, job_key := $3)',
          ['test.other', '{}', key],
        );
        await client.query(
          `update graphile_worker._private_jobs set locked_by = $2, locked_at = now() - $3 * interval '1 millisecond', attempts = 1 where id = $1`,
          [rows[0]!.id, `pool-${key}`, ageMs],
        );
      });
    await lock('recent', 5_000);
    await lock('old', 120_000);
    expect((await releaseJobsOfDeadPools(queue.utils)).sort()).toEqual(['pool-old']);
    const rows = await queue.jobs();
    expect(rows.find((j) => j.key === 'recent')?.locked_at).not.toBeNull();
    expect(rows.find((j) => j.key === 'old')?.locked_at).toBeNull();
  });
});

describe('a worker’s heartbeat, as its healthcheck reads it', () => {
  let queue: TestQueue;
  beforeAll(async () => {
    queue = await createTestQueue();
  });
  afterAll(async () => {
    await queue?.cleanup();
  });

  it('is there while the worker runs, on its own host only, and gone once it stops', async () => {
    const events: WorkerEvents = new EventEmitter();
    const liveness = await trackPoolLiveness(events, {
      utils: queue.utils,
      hostname: 'box-1',
      intervalMs: 50,
    });
    expect(await workerBeatingOn(queue.utils, 'box-1', 60_000)).toBe(false);
    events.emit('pool:create', { workerPool: { id: 'pool-1' } } as never);
    await vi.waitFor(async () => expect(await workerBeatingOn(queue.utils, 'box-1', 60_000)).toBe(true), {
      timeout: 5_000,
      interval: 50,
    });
    expect(await workerBeatingOn(queue.utils, 'box-2', 60_000)).toBe(false);
    await liveness.stop();
    expect(await workerBeatingOn(queue.utils, 'box-1', 60_000)).toBe(false);
  });

  it('goes stale when the beats stop coming', async () => {
    await queue.utils.withPgClient((client) =>
      client.query(
        "insert into pocket_smyth_worker.pools (pool_id, hostname, pid, seen_at) values ('old', 'box-3', 1, now() - interval '5 minutes')",
      ),
    );
    expect(await workerBeatingOn(queue.utils, 'box-3', 120_000)).toBe(false);
    expect(await workerBeatingOn(queue.utils, 'box-3', 600_000)).toBe(true);
  });
});

describe('the newest heartbeat of any worker, as the web app’s readiness check reads it', () => {
  let queue: TestQueue;
  beforeAll(async () => {
    queue = await createTestQueue();
  });
  afterAll(async () => {
    await queue?.cleanup();
  });

  it('is null before any worker started (and reading it creates nothing), then the youngest beat’s age', async () => {
    expect(await newestWorkerBeatAgeMs(queue.utils)).toBeNull();
    const schema = await queue.utils.withPgClient((client) =>
      client.query("select 1 from pg_namespace where nspname = 'pocket_smyth_worker'"),
    );
    expect(schema.rows).toEqual([]);

    const events: WorkerEvents = new EventEmitter();
    const liveness = await trackPoolLiveness(events, {
      utils: queue.utils,
      hostname: 'box-a',
      intervalMs: 50,
    });
    expect(await newestWorkerBeatAgeMs(queue.utils)).toBeNull();
    await queue.utils.withPgClient((client) =>
      client.query(
        "insert into pocket_smyth_worker.pools (pool_id, hostname, pid, seen_at) values ('stale', 'box-b', 1, now() - interval '5 minutes')",
      ),
    );
    const stale = await newestWorkerBeatAgeMs(queue.utils);
    expect(stale).toBeGreaterThanOrEqual(299_000);
    events.emit('pool:create', { workerPool: { id: 'pool-a' } } as never);
    await vi.waitFor(async () => expect(await newestWorkerBeatAgeMs(queue.utils)).toBeLessThan(5_000), {
      timeout: 5_000,
      interval: 50,
    });
    await liveness.stop();
  });
});
