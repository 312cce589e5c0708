import {
  type AgentObservedState,
  agentSamples,
  agents,
  type Db,
  type HostStats as DbHostStats,
  hostSamples,
  hosts,
} from '@pocket-smyth/db';
import {
  type HostConfig,
  HostTransports,
  isHostScript,
  type PrivateKeyReference,
  pickHost,
  readHostStats,
  readHostStatus,
} from '@pocket-smyth/hosts';
import type { AgentHosts, CallOptions, HostTransport, PlacedAgent } from '@pocket-smyth/jobs';
import { PermanentJobError } from '@pocket-smyth/jobs';
import { and, count, eq, isNotNull, lt, notInArray } from 'drizzle-orm';

type HostRow = typeof hosts.$inferSelect;

/** What the adapter reads from the worker's configuration (see env.ts). */
export interface HostsAdapterOptions {
  db: Db;
  /** Container image for new agents; empty: the host's default (Agent Zero). */
  agentImage?: string;
  agentCpus: number;
  agentMemoryMb: number;
  /** The `domain` argument of the provision script: DOMAIN, or the portal's host name in development. */
  domain: string;
  /** The forward-auth endpoint Traefik asks; empty: https://login.<domain>/api/forward-auth. */
  forwardAuthUrl?: string;
  /** Where the host scripts are (infra/host by default). */
  scriptsDir?: string;
  /** For keys stored encrypted (`enc:v1.…`); HOST_KEY_ENCRYPTION_KEY. */
  encryptionKey?: Buffer;
  /** Extra environment for the scripts on every host (AGENT_RUNTIME, …). */
  hostEnv?: Readonly<Record<string, string>>;
  /** Time limit of one ssh connect, ms. */
  connectTimeoutMs?: number;
  /** Samples older than this are removed after each poll. */
  sampleRetentionMs?: number;
  log?: (line: string) => void;
}

export interface WorkerHosts extends AgentHosts {
  /** Closes every pooled connection (worker shutdown). */
  close(): Promise<void>;
}

/** A failure placing an agent: no active host has room. Transient, an admin may add or free a host. */
export class NoHostCapacityError extends Error {
  override readonly name = 'NoHostCapacityError';
  readonly errorClass = 'no_host_capacity';
  readonly transient = true;
}

/**
 * `hosts.key_ref` as stored: `file:/path/to/key` or `enc:v1.…` (encrypted with HOST_KEY_ENCRYPTION_KEY).
 * A bare absolute path is read as a file reference too.
 */
export function parseKeyRef(keyRef: string): PrivateKeyReference {
  if (keyRef.startsWith('file:')) return { kind: 'file', path: keyRef.slice('file:'.length) };
  if (keyRef.startsWith('enc:')) return { kind: 'encrypted', ciphertext: keyRef.slice('enc:'.length) };
  if (keyRef.startsWith('/')) return { kind: 'file', path: keyRef };
  throw new PermanentJobError('host_misconfigured', 'The host key reference is neither file:… nor enc:…');
}

/** The row as packages/hosts' config: connection settings and a key reference, never the key. */
export function hostConfigOf(
  row: HostRow,
  options: { connectTimeoutMs?: number; env?: Readonly<Record<string, string>> } = {},
): HostConfig {
  const common = {
    id: row.id,
    name: row.name,
    capacity: row.capacity,
    status: row.status,
    ...(options.env && Object.keys(options.env).length > 0 ? { env: { ...options.env } } : {}),
  };
  if (row.transport === 'local') return { ...common, transport: 'local' };
  if (!row.address || !row.sshUser || !row.keyRef || !row.hostKeyFingerprint) {
    throw new PermanentJobError('host_misconfigured', `Host ${row.name} lacks its ssh settings`);
  }
  return {
    ...common,
    transport: 'ssh',
    address: row.address,
    port: row.port,
    user: row.sshUser,
    privateKey: parseKeyRef(row.keyRef),
    hostKeyFingerprint: row.hostKeyFingerprint,
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
  };
}

/** On a fresh install (no host rows at all), the worker's own machine is the one host (SPEC §5). */
export async function ensureDefaultHost(db: Db, capacity: number): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(hosts);
  if ((existing?.n ?? 0) > 0) return false;
  const inserted = await db
    .insert(hosts)
    .values({ name: 'local', transport: 'local', capacity })
    .onConflictDoNothing()
    .returning({ id: hosts.id });
  return inserted.length > 0;
}

/** How many agents are placed on each host (agents with a host, whatever their state). */
export async function agentsPerHost(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .select({ hostId: agents.hostId, n: count() })
    .from(agents)
    .where(isNotNull(agents.hostId))
    .groupBy(agents.hostId);
  return new Map(rows.flatMap((row) => (row.hostId ? [[row.hostId, row.n] as const] : [])));
}

function describe(error: unknown): string {
  const errorClass = (error as { errorClass?: unknown } | null)?.errorClass;
  const message = error instanceof Error ? error.message : String(error);
  return typeof errorClass === 'string' ? `${errorClass}: ${message}` : message;
}

/** The real `AgentHosts` over the hosts table and packages/hosts' transports. */
export function createWorkerHosts(options: HostsAdapterOptions): WorkerHosts {
  const { db } = options;
  const log = options.log ?? ((line: string) => console.info(line));
  const retentionMs = options.sampleRetentionMs ?? 24 * 60 * 60_000;
  const transports = new HostTransports({
    scriptsDir: options.scriptsDir,
    encryptionKey: options.encryptionKey,
  });
  const configOptions = { connectTimeoutMs: options.connectTimeoutMs, env: options.hostEnv };
  // Placements are serialised in this process so that concurrent provisions do not overfill a host.
  let placing: Promise<unknown> = Promise.resolve();

  const transportOf = (row: HostRow): HostTransport => {
    const transport = transports.get(hostConfigOf(row, configOptions));
    return {
      exec(script, args, callOptions) {
        if (!isHostScript(script)) {
          return Promise.reject(new PermanentJobError('internal', `not a host script: ${script}`));
        }
        return transport.exec(script, args, callOptions);
      },
    };
  };

  const place = async (): Promise<string> => {
    const rows = await db.select().from(hosts).orderBy(hosts.createdAt, hosts.name);
    const chosen = pickHost(rows, await agentsPerHost(db));
    if (!chosen) {
      throw new NoHostCapacityError(
        rows.length === 0 ? 'There are no hosts' : 'No active host has free capacity',
      );
    }
    return chosen.id;
  };

  async function pollHost(row: HostRow, callOptions: CallOptions, startedAt: Date): Promise<void> {
    const transport = transports.get(hostConfigOf(row, configOptions));
    const placed = await db.select().from(agents).where(eq(agents.hostId, row.id));
    let status: Awaited<ReturnType<typeof readHostStatus>>;
    let stats: Awaited<ReturnType<typeof readHostStats>>;
    try {
      // One status command for every agent on the host, and one stats command (SPEC §5).
      [status, stats] = await Promise.all([
        readHostStatus(transport, [], callOptions),
        readHostStats(transport, callOptions),
      ]);
    } catch (error) {
      await db
        .update(hosts)
        .set({ lastError: describe(error).slice(0, 2_000), updatedAt: new Date() })
        .where(eq(hosts.id, row.id));
      log(`[worker] host ${row.name}: poll failed: ${describe(error)}`);
      return;
    }
    const at = startedAt;
    const byUsername = new Map(status.agents.map((agent) => [agent.username, agent]));
    const running = status.agents.filter((agent) => agent.state === 'running').length;
    const lastStats: DbHostStats = {
      cpuPercent: stats.cpuPercent,
      memoryUsedBytes: stats.memUsedBytes,
      memoryTotalBytes: stats.memTotalBytes,
      diskUsedBytes: stats.diskUsedBytes,
      diskTotalBytes: stats.diskTotalBytes,
      agentsRunning: running,
    };
    await db
      .update(hosts)
      .set({ lastStats, lastSeenAt: at, lastError: null, updatedAt: new Date() })
      .where(eq(hosts.id, row.id));
    await db
      .insert(hostSamples)
      .values({
        hostId: row.id,
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
    for (let i = 0; i < samples.length; i += 200) {
      await db
        .insert(agentSamples)
        .values(samples.slice(i, i + 200))
        .onConflictDoNothing();
    }
    // An agent in a settled state (running or stopped) that the host reports otherwise — stopped or
    // removed behind our back, or started by hand — gets the host's word for it, so the reconciler
    // (desired ≠ observed) heals it. Only rows unchanged since the poll began are touched, so a job
    // that changed the agent meanwhile wins; agents in the middle of a job are left to that job.
    for (const agent of placed) {
      if (agent.observedState !== 'running' && agent.observedState !== 'stopped') continue;
      const reported = byUsername.get(agent.username)?.state ?? 'absent';
      if (reported === agent.observedState) continue;
      const updated = await db
        .update(agents)
        .set({ observedState: reported, observedAt: new Date(), updatedAt: new Date() })
        .where(
          and(
            eq(agents.id, agent.id),
            eq(agents.observedState, agent.observedState),
            lt(agents.observedAt, startedAt),
          ),
        )
        .returning({ id: agents.id });
      if (updated.length > 0) {
        log(`[worker] host ${row.name}: agent ${agent.username} is ${reported}, was ${agent.observedState}`);
      }
    }
  }

  return {
    place(agent) {
      const next = placing.then(place, place);
      placing = next.catch(() => {});
      return next.then((hostId) => {
        log(`[worker] agent ${agent.username} placed on host ${hostId}`);
        return hostId;
      });
    },

    async hostsFor(agent: PlacedAgent) {
      const [row] = await db.select().from(hosts).where(eq(hosts.id, agent.hostId)).limit(1);
      if (!row)
        throw new PermanentJobError('host_missing', `The agent's host ${agent.hostId} no longer exists`);
      return transportOf(row);
    },

    provisionArgs() {
      return [
        String(options.agentCpus),
        String(options.agentMemoryMb),
        options.agentImage ?? '',
        options.domain,
        options.forwardAuthUrl ?? '',
      ];
    },

    async pollAll(callOptions) {
      const startedAt = new Date();
      const rows = await db.select().from(hosts);
      await Promise.all(
        rows.map((row) =>
          pollHost(row, callOptions, startedAt).catch((error: unknown) =>
            log(`[worker] host ${row.name}: poll error: ${describe(error)}`),
          ),
        ),
      );
      const cutoff = new Date(startedAt.getTime() - retentionMs);
      await db.delete(agentSamples).where(lt(agentSamples.at, cutoff));
      await db.delete(hostSamples).where(lt(hostSamples.at, cutoff));
      // Samples of agents that no longer exist go too.
      await db
        .delete(agentSamples)
        .where(notInArray(agentSamples.agentId, db.select({ id: agents.id }).from(agents)));
    },

    close: () => transports.closeAll(),
  };
}
