import { type Db, rateLimitCounters } from '@pocket-smyth/db';
import { and, gte, lt, or, sql } from 'drizzle-orm';

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** Rows this old are dropped whatever their window: no rule counts over a window longer than a day. */
const STALE_AFTER_MS = 7 * 86_400_000;

/**
 * Fixed-window counting in the database, so every web instance shares one count per key. One upsert
 * per request: a row whose window has passed starts again at 1. Used by the API's per-person and
 * per-address budgets and by the sign-in links' per-email and per-address limits. A key is stored with
 * its window length (`60000:person:…`), so rules of different windows never share a row and pruning
 * one window's old rows never touches another's current ones.
 */
export async function consumeRateLimit(
  db: Db,
  key: string,
  rule: RateLimitRule,
  now = Date.now(),
): Promise<RateLimitDecision> {
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const [row] = await db
    .insert(rateLimitCounters)
    .values({ key: `${rule.windowMs}:${key}`, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: rateLimitCounters.key,
      set: {
        count: sql`case when ${rateLimitCounters.windowStart} = excluded.window_start then ${rateLimitCounters.count} + 1 else 1 end`,
        windowStart: sql`excluded.window_start`,
      },
    })
    .returning({ count: rateLimitCounters.count });
  const count = row?.count ?? 1;
  // Keys of old windows are dropped now and then, so the table stays the size of current traffic.
  if (Math.random() < 0.01) await pruneRateLimits(db, rule, now);
  return {
    allowed: count <= rule.limit,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - count),
    resetSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)),
  };
}

/**
 * Drops the rows of `rule`'s window length whose window has passed (a range over the key's
 * `windowMs:` prefix: `;` follows `:`), and any row older than a week.
 */
export async function pruneRateLimits(db: Db, rule: RateLimitRule, now = Date.now()): Promise<void> {
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  await db
    .delete(rateLimitCounters)
    .where(
      or(
        and(
          gte(rateLimitCounters.key, `${rule.windowMs}:`),
          lt(rateLimitCounters.key, `${rule.windowMs};`),
          lt(rateLimitCounters.windowStart, windowStart),
        ),
        lt(rateLimitCounters.windowStart, now - STALE_AFTER_MS),
      ),
    );
}
