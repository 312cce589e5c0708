/**
 * The API's budgets counted in memory and written in batches: exact within an instance, no database
 * write on a call, every instance's counts shared at each flush, nothing lost when a flush fails.
 */
import { rateLimitCounters } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchedRateLimitCounter, type RateLimitCounter } from '../src/index';

let handle: Awaited<ReturnType<typeof createTestDb>>;
const counters: RateLimitCounter[] = [];
beforeEach(async () => {
  handle = await createTestDb();
});
afterEach(async () => {
  for (const c of counters.splice(0)) await c.close();
  handle.cleanup();
});

/** A counter whose timer never fires during a test: flushes happen when the test says. */
function counter() {
  const c = createBatchedRateLimitCounter(handle.db, { flushMs: 3_600_000, onError: () => {} });
  counters.push(c);
  return c;
}

const minute = { limit: 5, windowMs: 60_000 };
const t0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const rows = () => handle.db.select().from(rateLimitCounters);

describe('createBatchedRateLimitCounter', () => {
  it('counts exactly in one instance and writes nothing until it flushes', async () => {
    const c = counter();
    const seen = Array.from({ length: 6 }, (_, i) => c.consume('ip:203.0.113.9', minute, t0 + i));
    expect(seen.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 4],
      [true, 3],
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(seen[5]?.resetSeconds).toBe(60);
    expect(await rows()).toEqual([]);

    await c.flush();
    expect(await rows()).toEqual([{ key: '60000:ip:203.0.113.9', windowStart: t0, count: 6 }]);
    // A new window starts again, in memory and in the table at the next flush.
    expect(c.consume('ip:203.0.113.9', minute, t0 + 60_000)).toMatchObject({ allowed: true, remaining: 4 });
    await c.flush();
    expect((await rows())[0]).toMatchObject({ windowStart: t0 + 60_000, count: 1 });
  });

  it('shares every instance’s counts at each flush, in one table', async () => {
    const a = counter();
    const b = counter();
    for (let i = 0; i < 3; i++) a.consume('person:p1', minute, t0 + i);
    await a.flush();
    // B has not flushed yet: it knows only its own call (the documented bound of one interval).
    expect(b.consume('person:p1', minute, t0 + 10)).toMatchObject({ remaining: 4 });
    await b.flush();
    // Now B knows A's three and its own one: the fifth call is the last allowed, the sixth is refused.
    expect(b.consume('person:p1', minute, t0 + 11)).toMatchObject({ allowed: true, remaining: 0 });
    expect(b.consume('person:p1', minute, t0 + 12)).toMatchObject({ allowed: false });
    await b.flush();
    expect(await rows()).toEqual([{ key: '60000:person:p1', windowStart: t0, count: 6 }]);
    // A, idle since its flush, still acts on the three it knew: its own calls until its next flush are
    // what it may let through beyond the limit. That flush brings it up to date.
    expect(a.consume('person:p1', minute, t0 + 13)).toMatchObject({ allowed: true, remaining: 1 });
    await a.flush();
    expect(a.consume('person:p1', minute, t0 + 14)).toMatchObject({ allowed: false });
    expect(await rows()).toEqual([{ key: '60000:person:p1', windowStart: t0, count: 7 }]);
  });

  it('writes many keys in one flush', async () => {
    const c = counter();
    for (let i = 0; i < 1_200; i++) c.consume(`ip:10.0.${i >> 8}.${i & 255}`, minute, t0);
    await c.flush();
    expect(await rows()).toHaveLength(1_200);
  });

  it('keeps the counts of a failed flush and writes them with the next one', async () => {
    const c = counter();
    c.consume('person:p2', minute, t0);
    c.consume('person:p2', minute, t0);
    await handle.client.execute('ALTER TABLE rate_limit_counters RENAME TO rate_limit_counters_away');
    await c.flush(); // fails: the table is gone for a moment
    expect(c.consume('person:p2', minute, t0)).toMatchObject({ remaining: 2 });
    await handle.client.execute('ALTER TABLE rate_limit_counters_away RENAME TO rate_limit_counters');
    await c.flush();
    expect(await rows()).toEqual([{ key: '60000:person:p2', windowStart: t0, count: 3 }]);
  });

  it('writes what is left on close', async () => {
    const c = createBatchedRateLimitCounter(handle.db, { flushMs: 3_600_000 });
    c.consume('ip:198.51.100.1', minute, t0);
    await c.close();
    expect(await rows()).toHaveLength(1);
  });
});
