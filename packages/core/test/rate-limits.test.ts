/**
 * The fixed-window counter every limit shares (the API's budgets, the sign-in links' limits): rules of
 * different window lengths live side by side in one table, and pruning one never resets another.
 */
import { rateLimitCounters } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumeRateLimit, pruneRateLimits } from '../src/index';

let handle: Awaited<ReturnType<typeof createTestDb>>;
beforeEach(async () => {
  handle = await createTestDb();
});
afterEach(() => handle.cleanup());

const minute = { limit: 3, windowMs: 60_000 };
const hour = { limit: 2, windowMs: 3_600_000 };
const t0 = Date.UTC(2030, 0, 1, 12, 0, 0);

describe('consumeRateLimit', () => {
  it('counts within a window, refuses past the limit, and starts again in the next window', async () => {
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await consumeRateLimit(handle.db, 'k', minute, t0 + i));
    expect(seen.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(seen[3]?.resetSeconds).toBe(60);
    expect(await consumeRateLimit(handle.db, 'k', minute, t0 + 60_000)).toMatchObject({
      allowed: true,
      remaining: 2,
    });
  });

  it('keeps one key’s counts apart under rules of different windows', async () => {
    await consumeRateLimit(handle.db, 'same', minute, t0);
    await consumeRateLimit(handle.db, 'same', minute, t0);
    expect(await consumeRateLimit(handle.db, 'same', hour, t0)).toMatchObject({ remaining: 1 });
  });

  it('pruning the minute windows leaves a current hour window alone', async () => {
    await consumeRateLimit(handle.db, 'magic', hour, t0);
    await consumeRateLimit(handle.db, 'magic', hour, t0);
    await consumeRateLimit(handle.db, 'api', minute, t0);
    // Ten minutes later the minute row is old, the hour row still current.
    await pruneRateLimits(handle.db, minute, t0 + 10 * 60_000);
    const keys = (await handle.db.select().from(rateLimitCounters)).map((r) => r.key);
    expect(keys).toEqual([`${hour.windowMs}:magic`]);
    expect(await consumeRateLimit(handle.db, 'magic', hour, t0 + 10 * 60_000)).toMatchObject({
      allowed: false,
    });
    // Its own prune drops it once its hour has passed; anything a week old goes whatever its window.
    await pruneRateLimits(handle.db, hour, t0 + 3_600_000);
    expect(await handle.db.$count(rateLimitCounters)).toBe(0);
    await consumeRateLimit(handle.db, 'odd', { limit: 1, windowMs: 7_000 }, t0);
    await pruneRateLimits(handle.db, minute, t0 + 8 * 86_400_000);
    expect(await handle.db.$count(rateLimitCounters)).toBe(0);
  });
});
