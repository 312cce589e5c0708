import type { Runner } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  createEnqueue,
  defineJob,
  type JobEnqueuer,
  type JobRequestOf,
  PermanentJobError,
  silentLogger,
  startJobWorker,
} from '../src';
import { createTestQueue, nextJobEnd, type TestQueue } from './helpers';

const handled: unknown[] = [];

const greet = defineJob({
  name: 'test.greet',
  payload: z.object({ name: z.string().min(1) }),
  key: (payload) => `greet:${payload.name}`,
  maxAttempts: 5,
  handler: async (payload) => {
    handled.push(payload);
    if (payload.name === 'permanent') throw new PermanentJobError('idp_rejected', 'the directory said no');
    if (payload.name === 'transient')
      throw Object.assign(new Error('host did not answer'), { transient: true });
  },
});

describe('job payloads and failures', () => {
  let queue: TestQueue;
  let runner: Runner;
  let enqueue: JobEnqueuer<JobRequestOf<typeof greet>>;

  beforeAll(async () => {
    queue = await createTestQueue();
    enqueue = createEnqueue(queue.url, { jobs: [greet] });
    runner = await startJobWorker({
      connectionString: queue.url,
      jobs: [greet],
      deps: {},
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await runner?.stop();
    await enqueue?.release();
    await queue?.cleanup();
  });

  it('refuses an invalid payload at enqueue time, before it reaches the queue', async () => {
    await expect(enqueue([{ name: 'test.greet', payload: { name: '' }, key: 'greet:' }])).rejects.toThrow();
    // A job the enqueue does not know does not compile; a stale producer could still send it.
    const unknown = { name: 'test.nope', payload: {}, key: 'x' } as unknown as JobRequestOf<typeof greet>;
    await expect(enqueue([unknown])).rejects.toThrow(/Unknown job/);
    expect(await queue.jobs()).toEqual([]);
  });

  it('fails a job with an invalid payload at once and for good, using one attempt of five', async () => {
    const before = handled.length;
    const ended = nextJobEnd(runner, 'test.greet');
    // Straight into the queue, as a stale producer or a hand-written SQL insert could.
    await queue.utils.addJob('test.greet', { name: 42 }, { maxAttempts: 5, jobKey: 'greet:bad' });
    const { error } = await ended;
    expect(String(error)).toMatch(/invalid payload/);
    expect(handled.length).toBe(before);
    // graphile reports the outcome before its release of the job commits; wait for the row to settle.
    await vi.waitFor(async () => {
      const [row] = (await queue.jobs()).filter((j) => j.key === 'greet:bad');
      expect(row).toMatchObject({ attempts: 1, max_attempts: 1, locked_at: null });
      expect(row?.last_error).toMatch(/invalid payload/);
    });
  });

  it('fails at once when the handler throws a permanent error, and retries a transient one', async () => {
    let ended = nextJobEnd(runner, 'test.greet');
    await enqueue([{ name: 'test.greet', payload: { name: 'permanent' }, key: 'greet:permanent' }]);
    await ended;
    ended = nextJobEnd(runner, 'test.greet');
    await enqueue([{ name: 'test.greet', payload: { name: 'transient' }, key: 'greet:transient' }]);
    await ended;

    await vi.waitFor(async () => {
      const rows = await queue.jobs();
      const permanent = rows.find((j) => j.key === 'greet:permanent');
      const transient = rows.find((j) => j.key === 'greet:transient');
      expect(permanent).toMatchObject({ attempts: 1, max_attempts: 1, locked_at: null });
      expect(permanent?.last_error).toBe('the directory said no');
      // Waiting for its backoff with four attempts left.
      expect(transient).toMatchObject({ attempts: 1, max_attempts: 5, locked_at: null });
    });
  });

  it('runs a valid job and removes it from the queue', async () => {
    const ended = nextJobEnd(runner, 'test.greet');
    await enqueue([{ name: 'test.greet', payload: { name: 'ada' }, key: 'greet:ada' }]);
    const { error } = await ended;
    expect(error).toBeFalsy();
    expect(handled).toContainEqual({ name: 'ada' });
    await vi.waitFor(async () => expect((await queue.jobs()).some((j) => j.key === 'greet:ada')).toBe(false));
  });
});
