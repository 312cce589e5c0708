import { type DbOrTx, hostSamples, hosts } from '@pocket-smyth/db';
import { type AnyColumn, and, asc, desc, eq, gte, type SQL, sql } from 'drizzle-orm';
import { notFound } from './errors';

/**
 * A chart has room for about this many points. The worker samples each host every ~15 s, so 24 hours
 * is ~5,760 rows; averaging them into buckets keeps the answer the same size for any window.
 */
export const HOST_HISTORY_MAX_POINTS = 120;

export interface HostHistoryPoint {
  /** The mean time of the samples averaged into this point. */
  at: Date;
  cpuPercent: number | null;
  memoryPercent: number | null;
  diskPercent: number | null;
}

export interface HostHistory {
  hostId: string;
  from: Date;
  to: Date;
  bucketSeconds: number;
  /** Bucket averages, oldest first; buckets without samples are left out, so a gap is a gap. */
  points: HostHistoryPoint[];
  /** The newest sample in the window as polled, not averaged: what "now" means on the chart. */
  latest:
    | (HostHistoryPoint & {
        memoryUsedBytes: number | null;
        memoryTotalBytes: number | null;
        diskUsedBytes: number | null;
        diskTotalBytes: number | null;
      })
    | null;
}

/**
 * The bucket width for a window. Buckets are aligned to multiples of the width (not to the window's
 * start), so a point keeps its value from one refetch to the next; an interval of length L meets at
 * most ceil(L / width) + 1 aligned buckets, hence `maxPoints - 1` below. Whole seconds, so the width
 * reads cleanly in the answer.
 */
export function historyBucketMs(windowMs: number, maxPoints = HOST_HISTORY_MAX_POINTS): number {
  return Math.max(1, Math.ceil(windowMs / (maxPoints - 1) / 1_000)) * 1_000;
}

/** `used / total` as a percentage per sample; null when either is missing or the total is 0. */
function percentOf(used: AnyColumn, total: AnyColumn): SQL {
  return sql`100.0 * ${used} / nullif(${total}, 0)`;
}

function percent(used: number | null, total: number | null): number | null {
  return used === null || total === null || total === 0 ? null : (100 * used) / total;
}

/** A host's CPU, memory and disk over the last `hours`, averaged into at most ~120 points. */
export async function hostHistory(
  db: DbOrTx,
  hostId: string,
  hours: number,
  now = Date.now(),
): Promise<HostHistory> {
  const [host] = await db.select({ id: hosts.id }).from(hosts).where(eq(hosts.id, hostId));
  if (!host) throw notFound('Host');

  const windowMs = hours * 3_600_000;
  const from = new Date(now - windowMs);
  const bucketMs = historyBucketMs(windowMs);
  const inWindow = and(eq(hostSamples.hostId, hostId), gte(hostSamples.at, from));
  // `at` is stored as integer milliseconds; the cast makes the division an integer bucket number
  // however the driver binds the width.
  const bucket = sql`cast(${hostSamples.at} / ${bucketMs} as integer)`;
  const memoryPercent = percentOf(hostSamples.memoryUsedBytes, hostSamples.memoryTotalBytes);
  const diskPercent = percentOf(hostSamples.diskUsedBytes, hostSamples.diskTotalBytes);

  const [buckets, [newest]] = await Promise.all([
    // avg() skips nulls, so a sample with one missing figure still counts for the others, and a
    // bucket whose samples all lack a figure averages to null.
    db
      .select({
        at: sql<number>`avg(${hostSamples.at})`,
        cpuPercent: sql<number | null>`avg(${hostSamples.cpuPercent})`,
        memoryPercent: sql<number | null>`avg(${memoryPercent})`,
        diskPercent: sql<number | null>`avg(${diskPercent})`,
      })
      .from(hostSamples)
      .where(inWindow)
      .groupBy(bucket)
      .orderBy(asc(bucket)),
    db.select().from(hostSamples).where(inWindow).orderBy(desc(hostSamples.at)).limit(1),
  ]);

  return {
    hostId,
    from,
    to: new Date(now),
    bucketSeconds: bucketMs / 1_000,
    points: buckets.map((b) => ({
      at: new Date(Math.round(Number(b.at))),
      cpuPercent: b.cpuPercent === null ? null : Number(b.cpuPercent),
      memoryPercent: b.memoryPercent === null ? null : Number(b.memoryPercent),
      diskPercent: b.diskPercent === null ? null : Number(b.diskPercent),
    })),
    latest: newest
      ? {
          at: newest.at,
          cpuPercent: newest.cpuPercent,
          memoryPercent: percent(newest.memoryUsedBytes, newest.memoryTotalBytes),
          diskPercent: percent(newest.diskUsedBytes, newest.diskTotalBytes),
          memoryUsedBytes: newest.memoryUsedBytes,
          memoryTotalBytes: newest.memoryTotalBytes,
          diskUsedBytes: newest.diskUsedBytes,
          diskTotalBytes: newest.diskTotalBytes,
        }
      : null,
  };
}
