import { apiCallCounts, type Db } from '@pocket-smyth/db';
import { sql } from 'drizzle-orm';
import { monthStartUtc, readMonthApiCalls } from './monthly-api-calls';
import { HOUR_MS } from './usage-metering';

/**
 * Counts calls made with API tokens, per person, token and hour (docs/ARCHITECTURE.md, "Usage
 * metering"), in memory, adding them to `api_call_counts` once a `flushMs`: no call waits for a write. A
 * process that dies loses at most one interval's counts; `close()` writes them on a clean stop.
 */
export interface ApiCallMeter {
  count(personId: string, tokenId: string, at?: number): void;
  /**
   * The person's token calls this calendar month (UTC), this instance's unwritten ones included
   * (docs/ARCHITECTURE.md, "Plans and quotas"). Read from the database on a person's first ask, then
   * kept: each flush reads back the totals of the people asked about, and the calls counted here since
   * are added in memory. Exact within an instance; across instances it lags by at most the other
   * instances' calls of one or two flush intervals. A total older than two intervals (the instance had
   * no calls to flush) is read again before it is used.
   */
  monthTotal(personId: string, now?: number): number | Promise<number>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const ROWS_PER_STATEMENT = 500;

interface MonthTally {
  month: number;
  /** The month's total as the database had it at `readAt` (every instance's written calls). */
  shared: number;
  readAt: number;
  /** Counted here since then, being written by the flush in progress. */
  writing: number;
  /** Counted here since then, not yet written. */
  pending: number;
  /** When the total was last asked for: a tally nobody asks for is dropped at the next flush. */
  askedAt: number;
}

export function createApiCallMeter(
  db: Db,
  options: { flushMs?: number; onError?: (error: unknown) => void } = {},
): ApiCallMeter {
  const flushMs = options.flushMs ?? 5_000;
  const staleAfterMs = 2 * flushMs;
  const onError =
    options.onError ?? ((error) => console.error('[usage] API call counts not written:', error));
  let pending = new Map<string, { userId: string; tokenId: string; hour: number; count: number }>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let flushing: Promise<void> = Promise.resolve();
  // Only the people whose plan limits their monthly calls are asked about; nobody else has a tally.
  const months = new Map<string, MonthTally>();
  const firstReads = new Map<string, Promise<number>>();

  async function write(): Promise<void> {
    if (pending.size === 0) {
      // Nothing of ours to write; the others' calls may still be news (a flush asked for by hand).
      if (months.size > 0) await readBack();
      return;
    }
    const rows = [...pending.values()];
    pending = new Map();
    for (const tally of months.values()) {
      tally.writing = tally.pending;
      tally.pending = 0;
    }
    try {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await db
          .insert(apiCallCounts)
          .values(rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => ({ ...r, hour: new Date(r.hour) })))
          .onConflictDoUpdate({
            target: [apiCallCounts.userId, apiCallCounts.tokenId, apiCallCounts.hour],
            set: { count: sql`${apiCallCounts.count} + excluded.count` },
          });
      }
    } catch (error) {
      // Kept for the next flush, added to whatever came in meanwhile.
      for (const row of rows) add(row.userId, row.tokenId, row.hour, row.count);
      for (const tally of months.values()) {
        tally.pending += tally.writing;
        tally.writing = 0;
      }
      onError(error);
      return;
    }
    await readBack();
  }

  /** After a write: the month totals of the people still asked about, every instance's calls included. */
  async function readBack(): Promise<void> {
    const now = Date.now();
    for (const [personId, tally] of months) {
      // Its unwritten calls are in `pending` too: a later first read counts them.
      if (now - tally.askedAt > staleAfterMs) months.delete(personId);
    }
    try {
      const totals = await readMonthApiCalls(db, [...months.keys()], now);
      for (const [personId, total] of totals) {
        const tally = months.get(personId);
        if (!tally) continue;
        tally.month = monthStartUtc(now);
        tally.shared = total;
        tally.readAt = now;
        tally.writing = 0;
      }
    } catch (error) {
      onError(error);
    } finally {
      // Written, read back or not: what was being written is in `shared` from here on.
      for (const tally of months.values()) {
        tally.shared += tally.writing;
        tally.writing = 0;
      }
    }
  }

  /**
   * A person's total read afresh, between flushes (so no write is half-way), plus what this instance
   * has counted for them and not yet written. Concurrent asks for one person share the read.
   */
  function firstRead(personId: string, now: number): Promise<number> {
    const already = firstReads.get(personId);
    if (already) return already;
    const read = flushing
      .then(() => readMonthApiCalls(db, [personId], now))
      .then((totals) => {
        const month = monthStartUtc(now);
        let unwritten = 0;
        for (const row of pending.values()) {
          if (row.userId === personId && row.hour >= month) unwritten += row.count;
        }
        const tally: MonthTally = {
          month,
          shared: totals.get(personId) ?? 0,
          readAt: now,
          writing: 0,
          pending: unwritten,
          askedAt: now,
        };
        months.set(personId, tally);
        return tally.shared + tally.pending;
      })
      .finally(() => firstReads.delete(personId));
    // The next flush waits for this read, so no call is both in the total read and still unwritten.
    flushing = read.then(
      () => undefined,
      () => undefined,
    );
    firstReads.set(personId, read);
    return read;
  }

  function add(userId: string, tokenId: string, hour: number, n: number) {
    const key = `${userId}\u0000${tokenId}\u0000${hour}`;
    const row = pending.get(key);
    if (row) row.count += n;
    else pending.set(key, { userId, tokenId, hour, count: n });
  }

  function flush(): Promise<void> {
    flushing = flushing.then(write);
    return flushing;
  }

  return {
    count(personId, tokenId, at = Date.now()) {
      add(personId, tokenId, Math.floor(at / HOUR_MS) * HOUR_MS, 1);
      const tally = months.get(personId);
      if (tally) tally.pending++;
      if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          void flush();
        }, flushMs);
        timer.unref?.();
      }
    },
    monthTotal(personId, now = Date.now()) {
      const tally = months.get(personId);
      if (tally && tally.month === monthStartUtc(now) && now - tally.readAt <= staleAfterMs) {
        tally.askedAt = now;
        return tally.shared + tally.writing + tally.pending;
      }
      // A new month, or a total gone stale: its unwritten calls are in `pending`, which the read counts.
      months.delete(personId);
      return firstRead(personId, now);
    },
    flush,
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
  };
}
