import { type Db, rateLimitCounters } from '@pocket-smyth/db';
import { sql } from 'drizzle-orm';
import { pruneRateLimits, type RateLimitDecision, type RateLimitRule } from './rate-limits';

/**
 * Counts calls against fixed-window budgets. `consumeRateLimit` (rate-limits.ts) is exact across
 * instances at one database write per call; `createBatchedRateLimitCounter` counts in memory and writes
 * once a flush interval.
 */
export interface RateLimitCounter {
  consume(key: string, rule: RateLimitRule, now?: number): RateLimitDecision;
  /** Writes the counts taken since the last flush and reads back every instance's totals. */
  flush(): Promise<void>;
  /** A last flush, then no timer is left running. */
  close(): Promise<void>;
}

interface Tally {
  windowMs: number;
  windowStart: number;
  /** Every instance's count as the database had it at this instance's last flush (ours included). */
  shared: number;
  /** Counted here since then, not yet written. */
  pending: number;
  /** Being written by the flush in progress. */
  writing: number;
}

/** SQLite binds at most 32,766 values; three a row leaves room, and a statement stays short. */
const ROWS_PER_STATEMENT = 500;

export interface BatchedRateLimitOptions {
  /** How often counts are written and other instances' read back. Default 1,000 ms. */
  flushMs?: number;
  /** Told when a flush fails (its counts are kept and written with the next one). */
  onError?: (error: unknown) => void;
}

/**
 * The API's budgets without a database write on the request path (docs/ARCHITECTURE.md, "REST"). Each
 * instance counts in memory and, about once a `flushMs`, adds its new counts to the shared table in one
 * statement, reading every instance's totals for those keys back. Within one instance the count is
 * exact. Across instances it is exact up to one flush: an instance decides on the totals it read at its
 * last flush of that key plus its own calls since, and a call schedules the next flush, so an instance
 * lets through beyond the limit at most the calls it receives in one interval (N instances at R calls/s
 * each: at most N·R·flushMs extra per window; with one instance, none). A process that dies loses at
 * most one interval's counts; `close()` writes them on a clean stop.
 */
export function createBatchedRateLimitCounter(
  db: Db,
  options: BatchedRateLimitOptions = {},
): RateLimitCounter {
  const flushMs = options.flushMs ?? 1_000;
  const onError = options.onError ?? ((error) => console.error('[rate-limit] flush failed:', error));
  const tallies = new Map<string, Tally>();
  const windows = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let flushing: Promise<void> | null = null;
  let flushes = 0;

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, flushMs);
    timer.unref?.();
  };

  async function writeBatch(): Promise<void> {
    const rows: { key: string; windowStart: number; count: number }[] = [];
    for (const [key, tally] of tallies) {
      if (tally.pending === 0) continue;
      tally.writing = tally.pending;
      tally.pending = 0;
      rows.push({ key, windowStart: tally.windowStart, count: tally.writing });
    }
    if (rows.length === 0) return;
    try {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const written = await db
          .insert(rateLimitCounters)
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflictDoUpdate({
            target: rateLimitCounters.key,
            set: {
              count: sql`case when ${rateLimitCounters.windowStart} = excluded.window_start then ${rateLimitCounters.count} + excluded.count else excluded.count end`,
              windowStart: sql`excluded.window_start`,
            },
          })
          .returning({
            key: rateLimitCounters.key,
            windowStart: rateLimitCounters.windowStart,
            count: rateLimitCounters.count,
          });
        for (const row of written) {
          const tally = tallies.get(row.key);
          if (!tally) continue;
          if (tally.windowStart === row.windowStart) tally.shared = row.count;
          tally.writing = 0;
        }
      }
    } catch (error) {
      // Kept for the next flush: a failed write loses no count.
      for (const tally of tallies.values()) {
        tally.pending += tally.writing;
        tally.writing = 0;
      }
      schedule();
      throw error;
    }
  }

  /** Forgets windows that have passed and have nothing left to write; now and then prunes the table. */
  async function tidy(now: number): Promise<void> {
    for (const [key, tally] of tallies) {
      if (tally.pending === 0 && tally.writing === 0 && tally.windowStart + tally.windowMs <= now) {
        tallies.delete(key);
      }
    }
    if (++flushes % 100 === 0) {
      for (const windowMs of windows) await pruneRateLimits(db, { limit: 0, windowMs }, now);
    }
  }

  function flush(): Promise<void> {
    // One flush at a time; a call during one waits for it and then writes what came meanwhile.
    const previous = flushing ?? Promise.resolve();
    const next = previous
      .then(() => writeBatch())
      .then(() => tidy(Date.now()))
      .catch(onError)
      .finally(() => {
        if (flushing === next) flushing = null;
      });
    flushing = next;
    return next;
  }

  return {
    consume(key, rule, now = Date.now()) {
      const stored = `${rule.windowMs}:${key}`;
      const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
      let tally = tallies.get(stored);
      if (!tally || tally.windowStart !== windowStart) {
        tally = { windowMs: rule.windowMs, windowStart, shared: 0, pending: 0, writing: 0 };
        tallies.set(stored, tally);
        windows.add(rule.windowMs);
      }
      tally.pending++;
      schedule();
      const count = tally.shared + tally.writing + tally.pending;
      return {
        allowed: count <= rule.limit,
        limit: rule.limit,
        remaining: Math.max(0, rule.limit - count),
        resetSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)),
      };
    },
    flush,
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
  };
}
