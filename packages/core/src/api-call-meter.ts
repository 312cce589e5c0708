import { apiCallCounts, type Db } from '@pocket-smyth/db';
import { sql } from 'drizzle-orm';
import { HOUR_MS } from './usage-metering';

/**
 * Counts calls made with API tokens, per person, token and hour (docs/ARCHITECTURE.md, "Usage
 * metering"), in memory, adding them to `api_call_counts` once a `flushMs`: no call waits for a write. A
 * process that dies loses at most one interval's counts; `close()` writes them on a clean stop.
 */
export interface ApiCallMeter {
  count(personId: string, tokenId: string, at?: number): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const ROWS_PER_STATEMENT = 500;

export function createApiCallMeter(
  db: Db,
  options: { flushMs?: number; onError?: (error: unknown) => void } = {},
): ApiCallMeter {
  const flushMs = options.flushMs ?? 5_000;
  const onError =
    options.onError ?? ((error) => console.error('[usage] API call counts not written:', error));
  let pending = new Map<string, { userId: string; tokenId: string; hour: number; count: number }>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let flushing: Promise<void> = Promise.resolve();

  async function write(): Promise<void> {
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending = new Map();
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
      onError(error);
    }
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
      if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          void flush();
        }, flushMs);
        timer.unref?.();
      }
    },
    flush,
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
  };
}
