import { auditEvents, type DbOrTx, usageDaily, usageHourly, users } from '@pocket-smyth/db';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';

/**
 * The admin overview's analytics (docs/ARCHITECTURE.md, "Usage and analytics"): counts per UTC day over
 * the last 30 or 90 days (7 to 90), the median time from sign-up to approval, and when agents run by hour of the
 * week. Read from what is kept anyway: sign-ups and decisions from the activity log (it outlives the
 * people it names), agents and API calls from the usage rollups. Days and hours are UTC.
 */
export const analyticsInput = z.strictObject({
  /** The window in days, today included (the overview offers 30 and 90). */
  days: z.number().int().min(7).max(90).default(30),
});
export type AnalyticsInput = z.input<typeof analyticsInput>;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The heatmap's window: what `usage_hourly` keeps. */
export const HEATMAP_DAYS = 14;

export interface AnalyticsDay {
  day: Date;
  signUps: number;
  approvals: number;
  rejections: number;
  /** People whose agent ran at some time that day. */
  agentsRunning: number;
  apiCalls: number;
}

export interface Analytics {
  from: Date;
  days: AnalyticsDay[];
  totals: Omit<AnalyticsDay, 'day' | 'agentsRunning'>;
  /** The median of (approval − sign-up) over the approvals in the window; null without approvals. */
  medianApprovalMs: number | null;
  approvalsMeasured: number;
  heatmap: {
    from: Date;
    to: Date;
    /** `cells[weekday][hour]`: agent-hours in that hour of the week, Monday = 0, UTC. */
    cells: number[][];
    max: number;
  };
}

const countedActions = {
  'person.signed_up': 'signUps',
  'person.approved': 'approvals',
  'person.rejected': 'rejections',
} as const;

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function adminAnalytics(
  db: DbOrTx,
  raw: AnalyticsInput = {},
  now: Date = new Date(),
): Promise<Analytics> {
  const input = analyticsInput.parse(raw);
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const from = new Date(today - (input.days - 1) * DAY_MS);
  const heatFrom = new Date(today - (HEATMAP_DAYS - 1) * DAY_MS);
  // The driver binds numbers as reals: cast, so the division floors to the day.
  const dayOf = (column: typeof auditEvents.at) =>
    sql<number>`cast(${column} / ${DAY_MS} as integer) * ${DAY_MS}`;

  const [actionRows, usageRows, approvalRows, hourRows] = await Promise.all([
    // The activity log's (action, at) index answers each action's range.
    db
      .select({ action: auditEvents.action, day: dayOf(auditEvents.at), n: sql<number>`count(*)` })
      .from(auditEvents)
      .where(and(inArray(auditEvents.action, Object.keys(countedActions)), gte(auditEvents.at, from)))
      .groupBy(auditEvents.action, dayOf(auditEvents.at)),
    db
      .select({
        day: usageDaily.day,
        agentsRunning: sql<number>`sum(${usageDaily.agentSeconds} > 0)`,
        apiCalls: sql<number>`sum(${usageDaily.apiCalls})`,
      })
      .from(usageDaily)
      .where(gte(usageDaily.day, from))
      .groupBy(usageDaily.day),
    // Sign-up time from the log's own sign-up event, or the person row when the log has none (people
    // made before the log, or by a seed).
    db
      .select({
        approvedAt: auditEvents.at,
        signedUpAt: sql<number | null>`coalesce(
          (select min(s.at) from ${auditEvents} s
            where s.target_kind = 'person' and s.target_id = ${auditEvents.targetId} and s.action = 'person.signed_up'),
          ${users.createdAt})`,
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.targetId))
      .where(and(eq(auditEvents.action, 'person.approved'), gte(auditEvents.at, from))),
    db
      .select({ hour: usageHourly.hour, agentSeconds: sql<number>`sum(${usageHourly.agentSeconds})` })
      .from(usageHourly)
      .where(gte(usageHourly.hour, heatFrom))
      .groupBy(usageHourly.hour),
  ]);

  const byDay = new Map<number, AnalyticsDay>();
  const days: AnalyticsDay[] = [];
  for (let day = from.getTime(); day <= today; day += DAY_MS) {
    const entry = {
      day: new Date(day),
      signUps: 0,
      approvals: 0,
      rejections: 0,
      agentsRunning: 0,
      apiCalls: 0,
    };
    byDay.set(day, entry);
    days.push(entry);
  }
  const totals = { signUps: 0, approvals: 0, rejections: 0, apiCalls: 0 };
  for (const row of actionRows) {
    const key = countedActions[row.action as keyof typeof countedActions];
    const entry = byDay.get(Number(row.day));
    if (!key || !entry) continue;
    entry[key] += Number(row.n);
    totals[key] += Number(row.n);
  }
  for (const row of usageRows) {
    const entry = byDay.get(row.day.getTime());
    if (!entry) continue;
    entry.agentsRunning = Number(row.agentsRunning);
    entry.apiCalls = Number(row.apiCalls);
    totals.apiCalls += Number(row.apiCalls);
  }

  const waits = approvalRows
    .filter((r) => r.signedUpAt !== null)
    .map((r) => r.approvedAt.getTime() - Number(r.signedUpAt))
    .filter((ms) => ms >= 0);

  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const row of hourRows) {
    const at = row.hour;
    const weekday = (at.getUTCDay() + 6) % 7;
    cells[weekday]![at.getUTCHours()]! += Number(row.agentSeconds) / 3600;
  }
  let max = 0;
  for (const week of cells)
    for (let h = 0; h < 24; h++) {
      week[h] = round(week[h]!, 2);
      max = Math.max(max, week[h]!);
    }

  return {
    from,
    days,
    totals,
    medianApprovalMs: medianOf(waits),
    approvalsMeasured: waits.length,
    heatmap: { from: heatFrom, to: new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS), cells, max },
  };
}
