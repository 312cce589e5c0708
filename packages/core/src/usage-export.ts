import { type Db, usageDaily, usageHourly, users } from '@pocket-smyth/db';
import { and, asc, eq, gt, gte, lt, or } from 'drizzle-orm';
import { csvCell } from './activity';
import { badRequest } from './errors';
import { DAY_MS, HOURLY_RETENTION_MS } from './usage-metering';

export interface UsageExportQuery {
  /** First day, `YYYY-MM-DD` (UTC), inclusive. */
  from: string;
  /** Last day, `YYYY-MM-DD` (UTC), inclusive. */
  to: string;
  granularity: 'day' | 'hour';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_ROWS = 5_000;
/** The longest range one export covers: the daily rollups' retention. */
const MAX_DAYS = 400;

const columns = [
  'period_start',
  'granularity',
  'person_id',
  'username',
  'email',
  'agent_hours',
  'cpu_core_hours',
  'memory_gb_hours',
  'api_calls',
];

function dayStart(value: string, name: string): number {
  const ms = DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value)
    throw badRequest(`${name} is a day such as 2026-03-01`);
  return ms;
}

/** Checks the range up front, so a bad request is a 400 before any byte of CSV is sent. */
export function usageExportRange(query: UsageExportQuery, now: Date = new Date()) {
  const from = dayStart(query.from, 'from');
  const to = dayStart(query.to, 'to') + DAY_MS;
  if (to <= from) throw badRequest('to is before from');
  if ((to - from) / DAY_MS > MAX_DAYS) throw badRequest(`An export covers at most ${MAX_DAYS} days`);
  if (query.granularity === 'hour' && from < now.getTime() - HOURLY_RETENTION_MS - DAY_MS)
    throw badRequest('Hourly figures are kept 14 days; ask for granularity=day further back');
  return { from, to };
}

const fixed = (n: number) => (Math.round(n * 10_000) / 10_000).toString();

/**
 * The usage export (docs/ARCHITECTURE.md, "Usage metering"): one CSV row per person per day or hour
 * with usage, header first, read a page at a time (keyset on period and person) so the response streams
 * at any size without holding it. Cells are formula-safe (`csvCell`): a spreadsheet never runs one.
 */
export async function* usageCsvLines(db: Db, query: UsageExportQuery, now: Date = new Date()) {
  const { from, to } = usageExportRange(query, now);
  const table = query.granularity === 'hour' ? usageHourly : usageDaily;
  const period = query.granularity === 'hour' ? usageHourly.hour : usageDaily.day;
  yield `${columns.join(',')}\r\n`;
  let after: { period: Date; userId: string } | null = null;
  for (;;) {
    const page: {
      period: Date;
      userId: string;
      username: string | null;
      email: string | null;
      agentSeconds: number;
      cpuSeconds: number;
      memoryGbSeconds: number;
      apiCalls: number;
    }[] = await db
      .select({
        period,
        userId: table.userId,
        username: users.username,
        email: users.email,
        agentSeconds: table.agentSeconds,
        cpuSeconds: table.cpuSeconds,
        memoryGbSeconds: table.memoryGbSeconds,
        apiCalls: table.apiCalls,
      })
      .from(table)
      .leftJoin(users, eq(users.id, table.userId))
      .where(
        and(
          gte(period, new Date(from)),
          lt(period, new Date(to)),
          after
            ? or(gt(period, after.period), and(eq(period, after.period), gt(table.userId, after.userId)))
            : undefined,
        ),
      )
      .orderBy(asc(period), asc(table.userId))
      .limit(PAGE_ROWS);
    if (page.length === 0) return;
    let chunk = '';
    for (const row of page) {
      chunk += `${[
        row.period.toISOString(),
        query.granularity,
        row.userId,
        row.username,
        row.email,
        fixed(row.agentSeconds / 3600),
        fixed(row.cpuSeconds / 3600),
        fixed(row.memoryGbSeconds / 3600),
        row.apiCalls,
      ]
        .map(csvCell)
        .join(',')}\r\n`;
    }
    yield chunk;
    const last = page.at(-1);
    if (!last || page.length < PAGE_ROWS) return;
    after = { period: last.period, userId: last.userId };
  }
}
