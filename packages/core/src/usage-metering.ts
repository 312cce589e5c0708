import {
  agentRunningIntervals,
  agentSamples,
  apiCallCounts,
  type Db,
  usageDaily,
  usageHourly,
  usageRollupState,
} from '@pocket-smyth/db';
import { and, asc, eq, gt, gte, isNull, lt, or, sql } from 'drizzle-orm';

/**
 * Usage metering (docs/ARCHITECTURE.md, "Usage metering"): running time from the running stretches the
 * `agents` triggers record at each transition's own time, CPU-seconds and memory GB-seconds integrated
 * from the host polls' samples, rolled up per person per UTC hour (kept 14 days) and per UTC day (kept
 * 13 months) by the `usage.rollup` cron job.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const HOURLY_RETENTION_MS = 14 * DAY_MS;
export const DAILY_RETENTION_MS = 396 * DAY_MS;
/** Closed stretches are kept a day past the hourly rollups they feed, then only the rollups remain. */
const INTERVAL_RETENTION_MS = HOURLY_RETENTION_MS + DAY_MS;

const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;

interface HourUsage {
  userId: string;
  hour: number;
  agentSeconds: number;
  cpuSeconds: number;
  memoryGbSeconds: number;
  apiCalls: number;
}

function hourRow(into: Map<string, HourUsage>, userId: string, hour: number): HourUsage {
  const key = `${userId}\u0000${hour}`;
  let row = into.get(key);
  if (!row) {
    row = { userId, hour, agentSeconds: 0, cpuSeconds: 0, memoryGbSeconds: 0, apiCalls: 0 };
    into.set(key, row);
  }
  return row;
}

/** Adds `amount`, spread evenly over [start, end), to the hours it covers within [from, to). */
function spread(
  into: Map<string, HourUsage>,
  userId: string,
  start: number,
  end: number,
  from: number,
  to: number,
  field: 'agentSeconds' | 'cpuSeconds' | 'memoryGbSeconds',
  perMs: number,
) {
  const clippedStart = Math.max(start, from);
  const clippedEnd = Math.min(end, to);
  for (let hour = floorTo(clippedStart, HOUR_MS); hour < clippedEnd; hour += HOUR_MS) {
    const overlap = Math.min(clippedEnd, hour + HOUR_MS) - Math.max(clippedStart, hour);
    if (overlap <= 0) continue;
    hourRow(into, userId, hour)[field] += overlap * perMs;
  }
}

export interface RollupResult {
  /** The first hour recomputed. */
  from: Date;
  to: Date;
  hourRows: number;
}

/**
 * Recomputes the hours that may have changed since the last run, and the days they fall in: from the
 * hour the last run stopped in, or earlier when a stretch was closed since with an end before that (a
 * host reported a stop that happened while the worker was down). Each hour is recomputed whole from the
 * stretches and samples, so running it twice, or late, gives the same rows.
 */
export async function rollUpUsage(db: Db, now: Date = new Date()): Promise<RollupResult> {
  const nowMs = now.getTime();
  const [state] = await db.select().from(usageRollupState).where(eq(usageRollupState.id, 1));
  const rolledUntil = state?.rolledUntil.getTime() ?? nowMs;
  const [lateClose] = await db
    .select({ earliest: sql<number | null>`min(${agentRunningIntervals.endedAt})` })
    .from(agentRunningIntervals)
    .where(gte(agentRunningIntervals.closedAt, new Date(rolledUntil)));
  const earliestChange = Math.min(rolledUntil, lateClose?.earliest ?? rolledUntil);
  const from = Math.max(
    floorTo(earliestChange, HOUR_MS),
    floorTo(nowMs - HOURLY_RETENTION_MS, DAY_MS) + DAY_MS,
  );
  const to = nowMs;

  const hours = new Map<string, HourUsage>();
  const stretches = await db
    .select()
    .from(agentRunningIntervals)
    .where(
      and(
        lt(agentRunningIntervals.startedAt, new Date(to)),
        or(isNull(agentRunningIntervals.endedAt), gt(agentRunningIntervals.endedAt, new Date(from))),
      ),
    );
  for (const stretch of stretches) {
    if (!stretch.userId) continue;
    const end = stretch.endedAt?.getTime() ?? to;
    spread(hours, stretch.userId, stretch.startedAt.getTime(), end, from, to, 'agentSeconds', 1 / 1000);
  }
  await integrateSamples(db, hours, stretches, from, to);
  const calls = await db
    .select({
      userId: apiCallCounts.userId,
      hour: apiCallCounts.hour,
      calls: sql<number>`sum(${apiCallCounts.count})`,
    })
    .from(apiCallCounts)
    .where(gte(apiCallCounts.hour, new Date(from)))
    .groupBy(apiCallCounts.userId, apiCallCounts.hour);
  for (const call of calls) hourRow(hours, call.userId, call.hour.getTime()).apiCalls += call.calls;

  const rows = [...hours.values()];
  const firstDay = floorTo(from, DAY_MS);
  await db.transaction(async (tx) => {
    await tx.delete(usageHourly).where(gte(usageHourly.hour, new Date(from)));
    for (let i = 0; i < rows.length; i += 500) {
      await tx.insert(usageHourly).values(
        rows.slice(i, i + 500).map((r) => ({
          userId: r.userId,
          hour: new Date(r.hour),
          agentSeconds: r.agentSeconds,
          cpuSeconds: r.cpuSeconds,
          memoryGbSeconds: r.memoryGbSeconds,
          apiCalls: r.apiCalls,
        })),
      );
    }
    // A day is the sum of its hours; the days the window touches are summed again.
    await tx.delete(usageDaily).where(gte(usageDaily.day, new Date(firstDay)));
    await tx.run(sql`
      insert into usage_daily (user_id, day, agent_seconds, cpu_seconds, memory_gb_seconds, api_calls)
      select user_id, hour - (hour % ${DAY_MS}), sum(agent_seconds), sum(cpu_seconds),
             sum(memory_gb_seconds), sum(api_calls)
        from usage_hourly
       where hour >= ${firstDay}
       group by user_id, hour - (hour % ${DAY_MS})`);
    await tx
      .insert(usageRollupState)
      .values({ id: 1, rolledUntil: now, updatedAt: now })
      .onConflictDoUpdate({ target: usageRollupState.id, set: { rolledUntil: now, updatedAt: now } });
    await tx.delete(usageHourly).where(lt(usageHourly.hour, new Date(nowMs - HOURLY_RETENTION_MS)));
    await tx.delete(apiCallCounts).where(lt(apiCallCounts.hour, new Date(nowMs - HOURLY_RETENTION_MS)));
    await tx.delete(usageDaily).where(lt(usageDaily.day, new Date(nowMs - DAILY_RETENTION_MS)));
    await tx
      .delete(agentRunningIntervals)
      .where(lt(agentRunningIntervals.endedAt, new Date(nowMs - INTERVAL_RETENTION_MS)));
  });
  return { from: new Date(from), to: now, hourRows: rows.length };
}

type Stretch = typeof agentRunningIntervals.$inferSelect;

/**
 * CPU-seconds and memory GB-seconds over the running stretches. The stretches say exactly when the
 * agent ran; the host polls' samples only say how busy it was, at moments. So within a stretch the rate
 * is the samples' (linear between two, the nearest one's before the first and after the last), and it is
 * integrated over the stretch's own time: a poll gap, or a stop learnt late, loses none of the time, and
 * only the rate in it is estimated. A stretch with no sample at all has no known rate and counts none.
 */
async function integrateSamples(
  db: Db,
  hours: Map<string, HourUsage>,
  stretches: readonly Stretch[],
  from: number,
  to: number,
) {
  if (stretches.length === 0) return;
  // The rate at the window's start comes from the last sample before it (polls are ~15 s apart).
  const lookBack = HOUR_MS;
  const samples = await db
    .select({
      agentId: agentSamples.agentId,
      at: agentSamples.at,
      cpuPercent: agentSamples.cpuPercent,
      memoryBytes: agentSamples.memoryBytes,
    })
    .from(agentSamples)
    .where(
      and(
        gte(agentSamples.at, new Date(from - lookBack)),
        lt(agentSamples.at, new Date(to)),
        eq(agentSamples.observedState, 'running'),
      ),
    )
    .orderBy(asc(agentSamples.agentId), asc(agentSamples.at));
  const byAgent = new Map<string, typeof samples>();
  for (const sample of samples) {
    const list = byAgent.get(sample.agentId) ?? [];
    list.push(sample);
    byAgent.set(sample.agentId, list);
  }
  for (const stretch of stretches) {
    if (!stretch.userId) continue;
    const start = stretch.startedAt.getTime();
    const end = stretch.endedAt?.getTime() ?? to;
    const inside = (byAgent.get(stretch.agentId) ?? []).filter(
      (x) => x.at.getTime() >= start && x.at.getTime() <= end,
    );
    for (const [field, value, perUnit] of [
      ['cpuSeconds', (x: (typeof inside)[number]) => x.cpuPercent, 1 / 100 / 1000],
      ['memoryGbSeconds', (x: (typeof inside)[number]) => x.memoryBytes, 1 / 1e9 / 1000],
    ] as const) {
      const points = inside.flatMap((x) => {
        const v = value(x);
        return v === null ? [] : [{ t: x.at.getTime(), v }];
      });
      const first = points[0];
      const last = points.at(-1);
      if (!first || !last) continue;
      // Before the first sample and after the last, the nearest sample's rate; linear in between.
      const pieces: [number, number, number][] = [[start, first.t, first.v]];
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1]!;
        const b = points[i]!;
        pieces.push([a.t, b.t, (a.v + b.v) / 2]);
      }
      pieces.push([last.t, end, last.v]);
      for (const [pieceStart, pieceEnd, rate] of pieces) {
        if (pieceEnd <= pieceStart) continue;
        spread(hours, stretch.userId, pieceStart, pieceEnd, from, to, field, rate * perUnit);
      }
    }
  }
}
