import { agents, type DbOrTx, hosts, runs } from '@pocket-smyth/db';
import { and, count, isNotNull, sql } from 'drizzle-orm';

/** Run durations are minutes, not milliseconds: provisioning pulls images and waits for health. */
export const RUN_DURATION_BUCKETS_SECONDS = [1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] as const;

/**
 * What `GET /api/metrics` reads from the app's database (docs/ARCHITECTURE.md, "Health"): the same for
 * every instance, so any one of them can be scraped. Runs are the jobs' record: every agent job is a run
 * with its kind, outcome and times.
 */
export async function systemMetricsSnapshot(db: DbOrTx, now = new Date()) {
  const seconds = sql<number>`(${runs.endedAt} - ${runs.startedAt}) / 1000.0`;
  const [agentStates, hostRows, runCounts, durations] = await Promise.all([
    db.select({ state: agents.observedState, n: count() }).from(agents).groupBy(agents.observedState),
    db
      .select({ name: hosts.name, status: hosts.status, lastSeenAt: hosts.lastSeenAt })
      .from(hosts)
      .orderBy(hosts.name),
    db
      .select({ kind: runs.kind, status: runs.status, n: count() })
      .from(runs)
      .groupBy(runs.kind, runs.status),
    db
      .select({
        kind: runs.kind,
        status: runs.status,
        n: count(),
        sum: sql<number>`coalesce(sum(${seconds}), 0)`,
        ...Object.fromEntries(
          RUN_DURATION_BUCKETS_SECONDS.map((le, i) => [
            `b${i}`,
            sql<number>`sum(case when ${seconds} <= ${le} then 1 else 0 end)`,
          ]),
        ),
      })
      .from(runs)
      .where(and(isNotNull(runs.startedAt), isNotNull(runs.endedAt)))
      .groupBy(runs.kind, runs.status),
  ]);
  return {
    agentsByObservedState: agentStates.map((r) => ({ state: r.state, count: Number(r.n) })),
    hosts: hostRows.map((h) => ({
      name: h.name,
      status: h.status,
      lastPollAgeSeconds: h.lastSeenAt ? Math.max(0, (now.getTime() - h.lastSeenAt.getTime()) / 1000) : null,
    })),
    runsByKindAndStatus: runCounts.map((r) => ({ kind: r.kind, status: r.status, count: Number(r.n) })),
    runDurations: durations.map((r) => {
      const row = r as typeof r & Record<string, number>;
      return {
        kind: r.kind,
        status: r.status,
        count: Number(r.n),
        sumSeconds: Number(r.sum),
        buckets: RUN_DURATION_BUCKETS_SECONDS.map((_, i) => Number(row[`b${i}`] ?? 0)),
      };
    }),
  };
}

export type SystemMetricsSnapshot = Awaited<ReturnType<typeof systemMetricsSnapshot>>;
