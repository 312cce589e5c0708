import { type Db, usageDaily, usageRollupState, users } from '@pocket-smyth/db';
import { and, asc, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { badRequest } from './errors';

/**
 * A person's usage for one billing period: a calendar month in UTC (docs/ARCHITECTURE.md, "Usage
 * metering"), read from the daily rollups, so it is as fresh as the last `usage.rollup` (five minutes).
 */
export interface UsagePeriod {
  /** `YYYY-MM`. */
  period: string;
  start: Date;
  /** The next period's start: when a monthly quota resets. */
  resetsAt: Date;
  /** The rollups cover the period up to this moment. */
  asOf: Date | null;
  totals: UsageFigures;
  /** One entry per day of the period so far (days without usage included, as zeros). */
  days: (UsageFigures & { day: Date })[];
}

export interface UsageFigures {
  agentHours: number;
  cpuHours: number;
  memoryGbHours: number;
  apiCalls: number;
}

const DAY_MS = 86_400_000;
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The calendar month (UTC) named `YYYY-MM`, or the one holding `now`. */
export function usagePeriodBounds(period: string | undefined, now: Date = new Date()) {
  let year = now.getUTCFullYear();
  let month = now.getUTCMonth();
  if (period !== undefined) {
    const match = PERIOD.exec(period);
    if (!match) throw badRequest('period is a month such as 2026-03');
    year = Number(match[1]);
    month = Number(match[2]) - 1;
  }
  const start = new Date(Date.UTC(year, month, 1));
  const resetsAt = new Date(Date.UTC(year, month + 1, 1));
  return { period: `${year}-${String(month + 1).padStart(2, '0')}`, start, resetsAt };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function usageForPerson(
  db: Db,
  personId: string,
  period?: string,
  now: Date = new Date(),
): Promise<UsagePeriod> {
  const bounds = usagePeriodBounds(period, now);
  const [state, rows] = await Promise.all([
    db.select().from(usageRollupState).where(eq(usageRollupState.id, 1)),
    db
      .select()
      .from(usageDaily)
      .where(
        and(
          eq(usageDaily.userId, personId),
          gte(usageDaily.day, bounds.start),
          lt(usageDaily.day, bounds.resetsAt),
        ),
      )
      .orderBy(asc(usageDaily.day)),
  ]);
  const byDay = new Map(rows.map((r) => [r.day.getTime(), r]));
  const lastDay = Math.min(bounds.resetsAt.getTime(), now.getTime());
  const days: UsagePeriod['days'] = [];
  const totals: UsageFigures = { agentHours: 0, cpuHours: 0, memoryGbHours: 0, apiCalls: 0 };
  for (let day = bounds.start.getTime(); day < lastDay; day += DAY_MS) {
    const row = byDay.get(day);
    const figures = {
      agentHours: (row?.agentSeconds ?? 0) / 3600,
      cpuHours: (row?.cpuSeconds ?? 0) / 3600,
      memoryGbHours: (row?.memoryGbSeconds ?? 0) / 3600,
      apiCalls: row?.apiCalls ?? 0,
    };
    totals.agentHours += figures.agentHours;
    totals.cpuHours += figures.cpuHours;
    totals.memoryGbHours += figures.memoryGbHours;
    totals.apiCalls += figures.apiCalls;
    days.push({
      day: new Date(day),
      agentHours: round(figures.agentHours, 4),
      cpuHours: round(figures.cpuHours, 4),
      memoryGbHours: round(figures.memoryGbHours, 4),
      apiCalls: figures.apiCalls,
    });
  }
  const rolledUntil = state[0]?.rolledUntil ?? null;
  return {
    ...bounds,
    asOf: rolledUntil && rolledUntil.getTime() > 0 ? rolledUntil : null,
    totals: {
      agentHours: round(totals.agentHours, 4),
      cpuHours: round(totals.cpuHours, 4),
      memoryGbHours: round(totals.memoryGbHours, 4),
      apiCalls: totals.apiCalls,
    },
    days,
  };
}

export interface UsageLeader extends UsageFigures {
  personId: string;
  username: string | null;
  email: string | null;
}

/**
 * Everyone's usage in one period, most agent-hours first: the admin's top consumers and per-person
 * table. One aggregate over the period's daily rollups (the covering index on `day`), `limit` rows.
 */
export async function usageLeaders(
  db: Db,
  options: { period?: string; limit?: number; now?: Date } = {},
): Promise<{ period: string; start: Date; resetsAt: Date; people: UsageLeader[] }> {
  const bounds = usagePeriodBounds(options.period, options.now);
  // Aggregate first (the covering index on `day` alone), then join the few rows kept: joining every
  // row of the month to `users` before the GROUP BY took seconds at 10,000 people.
  const top = db
    .select({
      userId: usageDaily.userId,
      agentSeconds: sql<number>`sum(${usageDaily.agentSeconds})`.as('agent_seconds'),
      cpuSeconds: sql<number>`sum(${usageDaily.cpuSeconds})`.as('cpu_seconds'),
      memoryGbSeconds: sql<number>`sum(${usageDaily.memoryGbSeconds})`.as('memory_gb_seconds'),
      apiCalls: sql<number>`sum(${usageDaily.apiCalls})`.as('api_calls'),
    })
    .from(usageDaily)
    .where(and(gte(usageDaily.day, bounds.start), lt(usageDaily.day, bounds.resetsAt)))
    .groupBy(usageDaily.userId)
    .orderBy(desc(sql`agent_seconds`), asc(usageDaily.userId))
    .limit(options.limit ?? 50)
    .as('top');
  const rows = await db
    .select({
      personId: top.userId,
      username: users.username,
      email: users.email,
      agentSeconds: top.agentSeconds,
      cpuSeconds: top.cpuSeconds,
      memoryGbSeconds: top.memoryGbSeconds,
      apiCalls: top.apiCalls,
    })
    .from(top)
    .leftJoin(users, eq(users.id, top.userId))
    .orderBy(desc(top.agentSeconds), asc(top.userId));
  return {
    ...bounds,
    people: rows.map((r) => ({
      personId: r.personId,
      username: r.username,
      email: r.email,
      agentHours: round(r.agentSeconds / 3600, 4),
      cpuHours: round(r.cpuSeconds / 3600, 4),
      memoryGbHours: round(r.memoryGbSeconds / 3600, 4),
      apiCalls: r.apiCalls,
    })),
  };
}
