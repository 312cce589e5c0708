import { apiCallCounts, type DbOrTx, usageDaily, usageRollupState } from '@pocket-smyth/db';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { DAY_MS } from './usage-metering';

/** The first moment of `now`'s calendar month, UTC. */
export function monthStartUtc(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The first moment of the month after `now`'s, UTC: when a monthly quota starts again. */
export function nextMonthStartUtc(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const PEOPLE_PER_STATEMENT = 500;

/**
 * The calls each person made with API tokens in `now`'s calendar month (UTC), as written so far
 * (docs/ARCHITECTURE.md, "Plans and quotas"): `usage_daily` for the month's days the rollup has finished
 * (those before the day it last reached), and `api_call_counts` (kept 14 days, per hour) from that day
 * on. Counts still in a web instance's memory are not here; `ApiCallMeter.monthTotal` adds its own.
 */
export async function readMonthApiCalls(
  db: DbOrTx,
  personIds: readonly string[],
  now = Date.now(),
): Promise<Map<string, number>> {
  const totals = new Map<string, number>(personIds.map((id) => [id, 0]));
  if (personIds.length === 0) return totals;
  const month = monthStartUtc(now);
  const [state] = await db
    .select({ rolledUntil: usageRollupState.rolledUntil })
    .from(usageRollupState)
    .where(eq(usageRollupState.id, 1));
  const rolledDay = state ? Math.floor(state.rolledUntil.getTime() / DAY_MS) * DAY_MS : month;
  const boundary = Math.min(Math.max(month, rolledDay), Math.floor(now / DAY_MS) * DAY_MS);

  for (let i = 0; i < personIds.length; i += PEOPLE_PER_STATEMENT) {
    const ids = personIds.slice(i, i + PEOPLE_PER_STATEMENT);
    const rolled = db
      .select({ userId: usageDaily.userId, calls: sql<number>`${usageDaily.apiCalls}`.as('calls') })
      .from(usageDaily)
      .where(
        and(
          inArray(usageDaily.userId, ids),
          gte(usageDaily.day, new Date(month)),
          lt(usageDaily.day, new Date(boundary)),
        ),
      );
    const recent = db
      .select({ userId: apiCallCounts.userId, calls: sql<number>`${apiCallCounts.count}`.as('calls') })
      .from(apiCallCounts)
      .where(and(inArray(apiCallCounts.userId, ids), gte(apiCallCounts.hour, new Date(boundary))));
    const both = rolled.unionAll(recent).as('both');
    const rows = await db
      .select({ userId: both.userId, calls: sql<number>`sum(${both.calls})` })
      .from(both)
      .groupBy(both.userId);
    for (const row of rows) totals.set(row.userId, Number(row.calls));
  }
  return totals;
}
