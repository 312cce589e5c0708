import {
  type AgentObservedState,
  agentSamples,
  agents,
  type Db,
  hostSamples,
  hosts,
  type HostStats as StoredHostStats,
} from '@pocket-smyth/db';
import { and, eq, lt, notInArray } from 'drizzle-orm';

/**
 * The worker's host poll (docs/ARCHITECTURE.md, "Hosts"), as domain functions of `db`: what one round of status + stats
 * scripts means for the hosts and agents tables. It writes what host-metrics.ts reads (host_samples,
 * agent_samples, hosts.last_stats), keeps those samples to a retention window, and gives the host's
 * word to agents whose observed state drifted behind our back, so the reconciler heals them.
 *
 * Running the scripts is not the domain's: the caller passes a `HostProbe` per host (the worker wraps
 * packages/hosts' `readHostStatus` / `readHostStats` over the host's transport), so core needs no ssh.
 */

type HostRow = typeof hosts.$inferSelect;
type AgentRow = typeof agents.$inferSelect;

/** Options of one script call: the job's abort signal and a time limit. */
export interface HostProbeCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** One agent as the host's status script reports it (packages/hosts' `AgentStatus` fits). */
export interface ReportedAgentStatus {
  username: string;
  state: 'running' | 'stopped' | 'absent';
  cpuPercent: number | null;
  memoryBytes: number | null;
  /** When the agent entered its current state; null when unknown. */
  since: Date | null;
}

/** The status script's answer for every agent on the host (packages/hosts' `HostStatus` fits). */
export interface ReportedHostStatus {
  agents: readonly ReportedAgentStatus[];
}

/** The host-stats script's answer (packages/hosts' `HostStats` fits). */
export interface ReportedHostStats {
  cpuPercent: number;
  /** Online CPUs; what a plan's CPUs per agent is checked against. */
  cpuCount?: number;
  memUsedBytes: number;
  memTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
}

/** Runs one host's status and host-stats scripts and parses what they print. Failures reject. */
export interface HostProbe {
  /** The status of every agent on the host, in one call. */
  status(options: HostProbeCallOptions): Promise<ReportedHostStatus>;
  stats(options: HostProbeCallOptions): Promise<ReportedHostStats>;
}

export interface HostPollingDeps {
  /**
   * The probe of one host. It may throw (a host whose settings are incomplete): that host's poll is
   * then skipped and logged, and its `last_error` left as it was.
   */
  probeFor(host: HostRow): HostProbe;
  log?: (line: string) => void;
}

export interface PollAllHostsOptions extends HostProbeCallOptions {
  /** Samples older than this (from the poll's start) are removed after the round. */
  retentionMs: number;
}

/** How many agent samples go into one insert (SQLite's bound-variable limit). */
const SAMPLE_CHUNK = 200;

/** An error in words, with its class when it has one (`host_unreachable: …`). */
export function describePollError(error: unknown): string {
  const errorClass = (error as { errorClass?: unknown } | null)?.errorClass;
  const message = error instanceof Error ? error.message : String(error);
  return typeof errorClass === 'string' ? `${errorClass}: ${message}` : message;
}

/**
 * One round over every host, hosts in parallel, then the retention cut. A host that fails is logged and
 * does not stop the others.
 */
export async function pollAllHosts(
  db: Db,
  deps: HostPollingDeps,
  { retentionMs, ...callOptions }: PollAllHostsOptions,
): Promise<void> {
  const log = deps.log ?? (() => {});
  const startedAt = new Date();
  const rows = await db.select().from(hosts);
  await Promise.all(
    rows.map((row) =>
      pollHost(db, deps, row, callOptions, startedAt).catch((error: unknown) =>
        log(`host ${row.name}: poll error: ${describePollError(error)}`),
      ),
    ),
  );
  await pruneMetricSamples(db, new Date(startedAt.getTime() - retentionMs));
}

/**
 * Polls one host: one status command for every agent on it and one stats command. On success
 * the host's stats and samples are stored and drifted agents corrected; on failure `last_error` says why.
 */
export async function pollHost(
  db: Db,
  deps: HostPollingDeps,
  host: HostRow,
  callOptions: HostProbeCallOptions,
  startedAt: Date,
): Promise<void> {
  const log = deps.log ?? (() => {});
  const probe = deps.probeFor(host);
  const placed = await db.select().from(agents).where(eq(agents.hostId, host.id));
  let status: ReportedHostStatus;
  let stats: ReportedHostStats;
  try {
    [status, stats] = await Promise.all([probe.status(callOptions), probe.stats(callOptions)]);
  } catch (error) {
    await recordPollFailure(db, host.id, error);
    log(`host ${host.name}: poll failed: ${describePollError(error)}`);
    return;
  }
  await recordHostSamples(db, host.id, placed, status, stats, startedAt);
  const corrected = await correctObservedDrift(db, placed, status, startedAt);
  for (const change of corrected) {
    log(`host ${host.name}: agent ${change.username} is ${change.observedState}, was ${change.was}`);
  }
}

/** A poll that could not reach the host or read its answer: kept on the host for admins to see. */
export async function recordPollFailure(db: Db, hostId: string, error: unknown): Promise<void> {
  await db
    .update(hosts)
    .set({ lastError: describePollError(error).slice(0, 2_000), updatedAt: new Date() })
    .where(eq(hosts.id, hostId));
}

/**
 * Stores one poll's answer at `at`: the host's last stats (and that it was seen), a host sample, and a
 * sample for every agent placed on it (`absent` for one the host did not report).
 */
export async function recordHostSamples(
  db: Db,
  hostId: string,
  placed: readonly AgentRow[],
  status: ReportedHostStatus,
  stats: ReportedHostStats,
  at: Date,
): Promise<void> {
  const byUsername = new Map(status.agents.map((agent) => [agent.username, agent]));
  const running = status.agents.filter((agent) => agent.state === 'running').length;
  const lastStats: StoredHostStats = {
    cpuPercent: stats.cpuPercent,
    ...(stats.cpuCount === undefined ? {} : { cpuCount: stats.cpuCount }),
    memoryUsedBytes: stats.memUsedBytes,
    memoryTotalBytes: stats.memTotalBytes,
    diskUsedBytes: stats.diskUsedBytes,
    diskTotalBytes: stats.diskTotalBytes,
    agentsRunning: running,
  };
  await db
    .update(hosts)
    .set({ lastStats, lastSeenAt: at, lastError: null, updatedAt: new Date() })
    .where(eq(hosts.id, hostId));
  await db
    .insert(hostSamples)
    .values({
      hostId,
      at,
      cpuPercent: stats.cpuPercent,
      memoryUsedBytes: Math.round(stats.memUsedBytes),
      memoryTotalBytes: Math.round(stats.memTotalBytes),
      diskUsedBytes: Math.round(stats.diskUsedBytes),
      diskTotalBytes: Math.round(stats.diskTotalBytes),
    })
    .onConflictDoNothing();
  if (placed.length === 0) return;
  const samples = placed.map((agent) => {
    const reported = byUsername.get(agent.username);
    const state: AgentObservedState = reported?.state ?? 'absent';
    return {
      agentId: agent.id,
      at,
      cpuPercent: reported?.cpuPercent ?? null,
      memoryBytes: reported?.memoryBytes ?? null,
      observedState: state,
      runningSince: state === 'running' ? (reported?.since ?? null) : null,
    };
  });
  for (let i = 0; i < samples.length; i += SAMPLE_CHUNK) {
    await db
      .insert(agentSamples)
      .values(samples.slice(i, i + SAMPLE_CHUNK))
      .onConflictDoNothing();
  }
}

/** An agent whose observed state the poll changed to the host's word. */
export interface ObservedStateCorrection {
  agentId: string;
  username: string;
  was: AgentObservedState;
  observedState: AgentObservedState;
}

/**
 * An agent in a settled state (running or stopped) that the host reports otherwise — stopped or removed
 * behind our back, or started by hand — gets the host's word for it, so the reconciler (desired ≠
 * observed) heals it. Only rows unchanged since the poll began (`startedAt`) are touched, so a job that
 * changed the agent meanwhile wins; agents in the middle of a job are left to that job.
 */
export async function correctObservedDrift(
  db: Db,
  placed: readonly AgentRow[],
  status: ReportedHostStatus,
  startedAt: Date,
): Promise<ObservedStateCorrection[]> {
  const byUsername = new Map(status.agents.map((agent) => [agent.username, agent]));
  const corrected: ObservedStateCorrection[] = [];
  for (const agent of placed) {
    if (agent.observedState !== 'running' && agent.observedState !== 'stopped') continue;
    const report = byUsername.get(agent.username);
    const reported = report?.state ?? 'absent';
    if (reported === agent.observedState) continue;
    const now = new Date();
    const updated = await db
      .update(agents)
      .set({
        observedState: reported,
        observedAt: changedAt(report?.since ?? null, agent.observedAt, now),
        updatedAt: now,
      })
      .where(
        and(
          eq(agents.id, agent.id),
          eq(agents.observedState, agent.observedState),
          lt(agents.observedAt, startedAt),
        ),
      )
      .returning({ id: agents.id });
    if (updated.length > 0) {
      corrected.push({
        agentId: agent.id,
        username: agent.username,
        was: agent.observedState,
        observedState: reported,
      });
    }
  }
  return corrected;
}

/**
 * When the change happened: the host's own time for it (a container's stop or start time) when that falls
 * between our last word and now, else now. A stop that happened while the worker was down is then dated
 * when it happened, so the running time metered from the transitions (docs/ARCHITECTURE.md, "Usage
 * metering") does not count the outage as running.
 */
function changedAt(hostSince: Date | null, lastObserved: Date, now: Date): Date {
  if (!hostSince) return now;
  const t = hostSince.getTime();
  return t >= lastObserved.getTime() && t <= now.getTime() ? hostSince : now;
}

/** The retention cut: samples older than `cutoff` go, and so do samples of agents that no longer exist. */
export async function pruneMetricSamples(db: Db, cutoff: Date): Promise<void> {
  await db.delete(agentSamples).where(lt(agentSamples.at, cutoff));
  await db.delete(hostSamples).where(lt(hostSamples.at, cutoff));
  await db
    .delete(agentSamples)
    .where(notInArray(agentSamples.agentId, db.select({ id: agents.id }).from(agents)));
}
