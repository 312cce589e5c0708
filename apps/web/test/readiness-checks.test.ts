import { describe, expect, it } from 'vitest';
import { cachedFor, runReadinessChecks } from '../src/server/readiness-checks';

describe('runReadinessChecks', () => {
  it('is ready only when every check is, and reports each with its time and detail', async () => {
    const ready = await runReadinessChecks(
      { a: async () => ({ ok: true }), b: async () => ({ ok: true, detail: '0 pending' }) },
      1_000,
    );
    expect(ready.status).toBe('ready');
    expect(ready.checks.b).toMatchObject({ ok: true, detail: '0 pending' });
    expect(ready.checks.a?.ms).toBeGreaterThanOrEqual(0);

    const notReady = await runReadinessChecks(
      {
        fine: async () => ({ ok: true }),
        behind: async () => ({ ok: false, detail: '2 pending' }),
        down: async () => {
          throw new Error('connect ECONNREFUSED postgres://pocket:secret@db:5432/x\nstack…');
        },
      },
      1_000,
    );
    expect(notReady.status).toBe('not_ready');
    expect(notReady.checks.behind).toMatchObject({ ok: false, detail: '2 pending' });
    // The first line only, and never a password from a connection string.
    expect(notReady.checks.down?.error).toBe('connect ECONNREFUSED postgres://***@db:5432/x');
  });

  it('does not wait for a check that hangs', async () => {
    const started = Date.now();
    const result = await runReadinessChecks({ hangs: () => new Promise(() => {}) }, 100);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.checks.hangs).toMatchObject({ ok: false, error: 'no answer in 100 ms' });
  });
});

describe('cachedFor', () => {
  it('computes at most once per interval', async () => {
    let calls = 0;
    const get = cachedFor(200, async () => ++calls);
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    await new Promise((r) => setTimeout(r, 250));
    expect(await get()).toBe(2);
  });
});
