import { EventEmitter } from 'node:events';
import { defineJob, silentLogger, startJobWorker } from '@pocket-smyth/jobs';
import { createScratchDatabase, type ScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { stopOnSignals } from '../src/shutdown';

describe('stopping the worker on SIGTERM', () => {
  let database: ScratchDatabase;
  let utils: WorkerUtils;

  beforeAll(async () => {
    database = await createScratchDatabase(await testPostgresUrl(), 'worker');
    utils = await makeWorkerUtils({ connectionString: database.url });
    await utils.migrate();
  });
  afterAll(async () => {
    await utils?.release();
    await database?.drop();
  });

  it('lets a running job finish before the stop resolves, and takes no new job', async () => {
    const events: string[] = [];
    let started!: () => void;
    const jobStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow = defineJob({
      name: 'test.slow',
      payload: z.object({ n: z.number() }),
      key: (payload) => `slow:${payload.n}`,
      maxAttempts: 3,
      handler: async (payload) => {
        events.push(`start ${payload.n}`);
        started();
        await new Promise((resolve) => setTimeout(resolve, 700));
        events.push(`finish ${payload.n}`);
      },
    });
    const runner = await startJobWorker({
      connectionString: database.url,
      jobs: [slow],
      deps: {},
      concurrency: 1,
      logger: silentLogger,
    });
    await utils.addJob('test.slow', { n: 1 }, { jobKey: 'slow:1' });
    await jobStarted;
    // Queued while the first one runs; the stopping worker must leave it for the next worker.
    await utils.addJob('test.slow', { n: 2 }, { jobKey: 'slow:2' });

    const signals = new EventEmitter();
    const stopped = stopOnSignals(runner, { source: signals, log: () => {} }).then(() =>
      events.push('stopped'),
    );
    signals.emit('SIGTERM', 'SIGTERM');
    await stopped;

    expect(events).toEqual(['start 1', 'finish 1', 'stopped']);
    const rows = await utils.withPgClient(
      async (client) =>
        (
          await client.query<{ key: string; attempts: number; locked_at: Date | null }>(
            'select key, attempts, locked_at from graphile_worker.jobs',
          )
        ).rows,
    );
    // Job 1 completed (and so is gone); job 2 is untouched and unlocked.
    expect(rows).toEqual([{ key: 'slow:2', attempts: 0, locked_at: null }]);
  });

  it('on a second signal, stops at once and releases the running job for a retry', async () => {
    let started!: () => void;
    const jobStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const stuck = defineJob({
      name: 'test.stuck',
      payload: z.object({}),
      key: () => 'stuck',
      maxAttempts: 3,
      handler: async (_payload, { signal }) => {
        started();
        // Like a host script: it runs until done or until the worker aborts it.
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, 20_000);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted by shutdown'));
          });
        });
      },
    });
    const runner = await startJobWorker({
      connectionString: database.url,
      jobs: [stuck],
      deps: {},
      concurrency: 1,
      logger: silentLogger,
    });
    await utils.addJob('test.stuck', {}, { jobKey: 'stuck', maxAttempts: 3 });
    await jobStarted;
    const signals = new EventEmitter();
    const begun = Date.now();
    const lines: string[] = [];
    const stopped = stopOnSignals(runner, { source: signals, log: (line) => lines.push(line) });
    signals.emit('SIGTERM', 'SIGTERM');
    // Ctrl-C under pnpm dev: the terminal's SIGINT and tsx watch's relayed copy arrive together, which
    // is one stop, not two.
    signals.emit('SIGINT', 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(lines.join('\n')).not.toContain('forcefully');
    signals.emit('SIGINT', 'SIGINT');
    await stopped;
    expect(lines.join('\n')).toContain('second SIGINT; stopping forcefully');
    expect(Date.now() - begun).toBeLessThan(12_000);
    await vi.waitFor(async () => {
      const rows = await utils.withPgClient(
        async (client) =>
          (
            await client.query<{ attempts: number; locked_at: Date | null; last_error: string | null }>(
              "select attempts, locked_at, last_error from graphile_worker.jobs where key = 'stuck'",
            )
          ).rows,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ attempts: 1, locked_at: null });
      expect(rows[0]?.last_error).toBeTruthy();
    });
  });
});
