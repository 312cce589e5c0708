import { type DbOrTx, plans, usageDaily, usageRollupState, users } from '@pocket-smyth/db';
import { and, asc, desc, eq, gt, gte, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { badRequest } from './errors';
import { type UsageFigures, usagePeriodBounds } from './usage-queries';

/**
 * The admin's usage page (docs/ARCHITECTURE.md, "Usage and analytics"): everyone's usage in one calendar
 * month (UTC), optionally only the people on one plan. Every read of a period for everyone goes through
 * the covering index `usage_daily (day, user_id, figures…)`, so it never touches the table's rows.
 */
const periodField = z.string().max(7).optional();
const planField = z.string().min(1).max(64).optional();

export const usageReportInput = z.strictObject({
  period: periodField,
  planId: planField,
  /** How many top consumers to list. */
  top: z.number().int().min(1).max(50).default(10),
});
export type UsageReportInput = z.input<typeof usageReportInput>;

export const usagePeopleInput = z.strictObject({
  period: periodField,
  planId: planField,
  cursor: z.string().max(400).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** tRPC's infinite queries send it with every page; inputs are strict, so name it. */
  direction: z.enum(['forward', 'backward']).optional(),
});
export type UsagePeopleInput = z.input<typeof usagePeopleInput>;

export interface UsagePersonRow extends UsageFigures {
  personId: string;
  email: string | null;
  username: string | null;
  planId: string | null;
  planName: string | null;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

function figuresOf(r: {
  agentSeconds: number | null;
  cpuSeconds: number | null;
  memoryGbSeconds: number | null;
  apiCalls: number | null;
}): UsageFigures {
  return {
    agentHours: round(Number(r.agentSeconds ?? 0) / 3600, 4),
    cpuHours: round(Number(r.cpuSeconds ?? 0) / 3600, 4),
    memoryGbHours: round(Number(r.memoryGbSeconds ?? 0) / 3600, 4),
    apiCalls: Number(r.apiCalls ?? 0),
  };
}

const sums = {
  agentSeconds: sql<number>`sum(${usageDaily.agentSeconds})`.as('agent_seconds'),
  cpuSeconds: sql<number>`sum(${usageDaily.cpuSeconds})`.as('cpu_seconds'),
  memoryGbSeconds: sql<number>`sum(${usageDaily.memoryGbSeconds})`.as('memory_gb_seconds'),
  apiCalls: sql<number>`sum(${usageDaily.apiCalls})`.as('api_calls'),
};

/** Rows of `usage_daily` in the period, of the people on the plan when one is named. */
function periodFilter(bounds: { start: Date; resetsAt: Date }, planId: string | undefined): SQL {
  const inPeriod = and(gte(usageDaily.day, bounds.start), lt(usageDaily.day, bounds.resetsAt))!;
  if (!planId) return inPeriod;
  return and(
    inPeriod,
    sql`${usageDaily.userId} in (select ${users.id} from ${users} where ${users.planId} = ${planId})`,
  )!;
}

/**
 * The page's head: the month's totals, the totals per day (every day of the month so far, zeros
 * included, with how many people's agents ran that day), the top consumers by agent-hours, and the
 * plans to filter by.
 */
export async function usageReport(db: DbOrTx, raw: UsageReportInput, now: Date = new Date()) {
  const input = usageReportInput.parse(raw);
  const bounds = usagePeriodBounds(input.period, now);
  const where = periodFilter(bounds, input.planId);
  // Aggregate first, join the few rows after: joining every row of the month to `users` before the
  // GROUP BY is what made this slow (see bench/src/usage.bench.ts).
  const top = db
    .select({ userId: usageDaily.userId, ...sums })
    .from(usageDaily)
    .where(where)
    .groupBy(usageDaily.userId)
    .orderBy(desc(sql`agent_seconds`), asc(usageDaily.userId))
    .limit(input.top)
    .as('top');
  const [state, planRows, dayRows, topRows] = await Promise.all([
    db.select().from(usageRollupState).where(eq(usageRollupState.id, 1)),
    db
      .select({ id: plans.id, name: plans.name })
      .from(plans)
      .orderBy(asc(sql`lower(${plans.name})`)),
    db
      .select({
        day: usageDaily.day,
        ...sums,
        people: sql<number>`sum(${usageDaily.agentSeconds} > 0)`,
      })
      .from(usageDaily)
      .where(where)
      .groupBy(usageDaily.day)
      .orderBy(asc(usageDaily.day)),
    db
      .select({
        personId: top.userId,
        email: users.email,
        username: users.username,
        planId: users.planId,
        planName: plans.name,
        agentSeconds: top.agentSeconds,
        cpuSeconds: top.cpuSeconds,
        memoryGbSeconds: top.memoryGbSeconds,
        apiCalls: top.apiCalls,
      })
      .from(top)
      .leftJoin(users, eq(users.id, top.userId))
      .leftJoin(plans, eq(plans.id, users.planId))
      .orderBy(desc(top.agentSeconds), asc(top.userId)),
  ]);
  if (input.planId && !planRows.some((p) => p.id === input.planId))
    throw badRequest('No such plan.', { field: 'planId' });

  const byDay = new Map(dayRows.map((r) => [r.day.getTime(), r]));
  const lastDay = Math.min(bounds.resetsAt.getTime(), now.getTime());
  const days: (UsageFigures & { day: Date; people: number })[] = [];
  const total = { agentSeconds: 0, cpuSeconds: 0, memoryGbSeconds: 0, apiCalls: 0 };
  for (let day = bounds.start.getTime(); day < lastDay; day += 86_400_000) {
    const row = byDay.get(day);
    if (row) {
      total.agentSeconds += Number(row.agentSeconds);
      total.cpuSeconds += Number(row.cpuSeconds);
      total.memoryGbSeconds += Number(row.memoryGbSeconds);
      total.apiCalls += Number(row.apiCalls);
    }
    days.push({
      day: new Date(day),
      ...figuresOf(row ?? { agentSeconds: 0, cpuSeconds: 0, memoryGbSeconds: 0, apiCalls: 0 }),
      people: Number(row?.people ?? 0),
    });
  }
  const rolledUntil = state[0]?.rolledUntil ?? null;
  return {
    ...bounds,
    planId: input.planId ?? null,
    asOf: rolledUntil && rolledUntil.getTime() > 0 ? rolledUntil : null,
    plans: planRows,
    totals: figuresOf(total),
    days,
    top: topRows.map((r) => ({
      personId: r.personId,
      email: r.email,
      username: r.username,
      planId: r.planId,
      planName: r.planName,
      ...figuresOf(r),
    })),
  };
}

const cursorKey = z.tuple([z.string().max(320), z.string().max(64)]);

function encodePeopleCursor(key: z.infer<typeof cursorKey>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodePeopleCursor(cursor: string): z.infer<typeof cursorKey> {
  try {
    return cursorKey.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('The cursor is not valid; start again from the first page.', { field: 'cursor' });
  }
}

/**
 * The per-person table: everyone (on the plan, when one is named) by email, a page at a time, each with
 * their usage in the month, zeros included. Paging walks `users` by email (its unique index); only the
 * page's people are summed, so a page costs the same among 10,000 people as among ten.
 */
export async function usagePeople(db: DbOrTx, raw: UsagePeopleInput, now: Date = new Date()) {
  const input = usagePeopleInput.parse(raw);
  const bounds = usagePeriodBounds(input.period, now);
  const where: SQL[] = [];
  if (input.planId) where.push(eq(users.planId, input.planId));
  const emailKey = sql<string>`lower(${users.email})`;
  if (input.cursor) {
    const [email, id] = decodePeopleCursor(input.cursor);
    where.push(or(sql`${emailKey} > ${email}`, and(sql`${emailKey} = ${email}`, gt(users.id, id)))!);
  }
  const rows = await db
    .select({
      personId: users.id,
      email: users.email,
      username: users.username,
      planId: users.planId,
      planName: plans.name,
      // One correlated read per person on the page: the primary key (user_id, day) finds their month.
      usage: sql<string>`(select json_array(coalesce(sum(${usageDaily.agentSeconds}), 0), coalesce(sum(${usageDaily.cpuSeconds}), 0), coalesce(sum(${usageDaily.memoryGbSeconds}), 0), coalesce(sum(${usageDaily.apiCalls}), 0)) from ${usageDaily} where ${usageDaily.userId} = ${users.id} and ${usageDaily.day} >= ${bounds.start.getTime()} and ${usageDaily.day} < ${bounds.resetsAt.getTime()})`,
    })
    .from(users)
    .leftJoin(plans, eq(plans.id, users.planId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(emailKey), asc(users.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const items: UsagePersonRow[] = page.map((r) => {
    const [agentSeconds, cpuSeconds, memoryGbSeconds, apiCalls] = JSON.parse(r.usage) as number[];
    return {
      personId: r.personId,
      email: r.email,
      username: r.username,
      planId: r.planId,
      planName: r.planName,
      ...figuresOf({
        agentSeconds: agentSeconds ?? 0,
        cpuSeconds: cpuSeconds ?? 0,
        memoryGbSeconds: memoryGbSeconds ?? 0,
        apiCalls: apiCalls ?? 0,
      }),
    };
  });
  return {
    period: bounds.period,
    items,
    nextCursor:
      rows.length > input.limit && last
        ? encodePeopleCursor([last.email.toLowerCase(), last.personId])
        : null,
  };
}
