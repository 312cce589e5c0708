import { agentsPlacedPerHost, type HostProbe, pollAllHosts } from '@pocket-smyth/core';
import { type Db, hosts } from '@pocket-smyth/db';
import {
  type HostConfig,
  HostTransports,
  isDataScript,
  isHostScript,
  type PrivateKeyReference,
  pickHost,
  readHostStats,
  readHostStatus,
} from '@pocket-smyth/hosts';
import type { AgentHosts, HostTransport, PlacedAgent } from '@pocket-smyth/jobs';
import { PermanentJobError } from '@pocket-smyth/jobs';
import { count, eq } from 'drizzle-orm';

type HostRow = typeof hosts.$inferSelect;

/** What the adapter reads from the worker's configuration (see env.ts). */
export interface HostsAdapterOptions {
  db: Db;
  /**
   * Container image of agents when the portal names none (AGENT_IMAGE); empty: the host's default (Agent
   * Zero). The portal's default and a person's override come first (docs/ARCHITECTURE.md, "Images and rollouts").
   */
  agentImage?: string;
  /** AGENT_CPUS and AGENT_MEMORY_MB: an agent's limits where the owner's plan sets none. */
  agentCpus: number;
  agentMemoryMb: number;
  /** The `domain` argument of the provision script: DOMAIN, or the portal's host name in development. */
  domain: string;
  /** The forward-auth endpoint Traefik asks; empty: https://login.<domain>/api/forward-auth. */
  forwardAuthUrl?: string;
  /** Where the host scripts are (infra/host by default). */
  scriptsDir?: string;
  /**
   * For keys stored encrypted (`enc:v1.…`): HOST_KEY_ENCRYPTION_KEY, parsed with `parseEncryptionKey`.
   * Never read from the environment here; without it an `enc:` host cannot connect (host_misconfigured).
   */
  encryptionKey?: Buffer;
  /** Extra environment for the scripts on every host (AGENT_RUNTIME, …). */
  hostEnv?: Readonly<Record<string, string>>;
  /**
   * Environment for the `local` host's scripts only (`localHostEnv` of env.ts: AGENT_STATE_DIR under
   * DATA_DIR); `hostEnv` wins where both set a variable.
   */
  localEnv?: Readonly<Record<string, string>>;
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
  options: {
    connectTimeoutMs?: number;
    env?: Readonly<Record<string, string>>;
    /** For the `local` host only, under `env`. */
    localEnv?: Readonly<Record<string, string>>;
  } = {},
): HostConfig {
  const env = { ...(row.transport === 'local' ? options.localEnv : {}), ...options.env };
  const common = {
    id: row.id,
    name: row.name,
    capacity: row.capacity,
    status: row.status,
    ...(Object.keys(env).length > 0 ? { env } : {}),
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

/**
 * On a fresh install (no host rows at all), the worker's own machine is the one host
 * (docs/ARCHITECTURE.md, "Hosts").
 */
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

/**
 * The real `AgentHosts` over the hosts table and packages/hosts' transports. It builds transports and
 * the provision arguments; what a poll means for the tables (samples, retention, drift) is core's
 * `pollAllHosts`, and placement counts agents with core's `agentsPlacedPerHost`.
 */
export function createWorkerHosts(options: HostsAdapterOptions): WorkerHosts {
  const { db } = options;
  const log = options.log ?? ((line: string) => console.info(line));
  const retentionMs = options.sampleRetentionMs ?? 24 * 60 * 60_000;
  const transports = new HostTransports({
    scriptsDir: options.scriptsDir,
    encryptionKey: options.encryptionKey,
  });
  const configOptions = {
    connectTimeoutMs: options.connectTimeoutMs,
    env: options.hostEnv,
    localEnv: options.localEnv,
  };
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
      stream(script, args, streamOptions) {
        if (!isDataScript(script)) {
          return Promise.reject(new PermanentJobError('internal', `not a data script: ${script}`));
        }
        return transport.stream(script, args, streamOptions);
      },
    };
  };

  const place = async (): Promise<string> => {
    const rows = await db.select().from(hosts).orderBy(hosts.createdAt, hosts.name);
    const chosen = pickHost(rows, await agentsPlacedPerHost(db));
    if (!chosen) {
      throw new NoHostCapacityError(
        rows.length === 0 ? 'There are no hosts' : 'No active host has free capacity',
      );
    }
    return chosen.id;
  };

  /** packages/hosts' status and stats readers over the host's transport, for core's poll. */
  const probeFor = (row: HostRow): HostProbe => {
    const transport = transports.get(hostConfigOf(row, configOptions));
    return {
      status: (callOptions) => readHostStatus(transport, [], callOptions),
      stats: (callOptions) => readHostStats(transport, callOptions),
    };
  };

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

    defaultImage: options.agentImage,

    defaultLimits: { cpus: options.agentCpus, memoryMb: options.agentMemoryMb },

    provisionArgs(_agent, image, limits) {
      return [
        String(limits?.cpus ?? options.agentCpus),
        String(limits?.memoryMb ?? options.agentMemoryMb),
        image ?? options.agentImage ?? '',
        options.domain,
        options.forwardAuthUrl ?? '',
      ];
    },

    pollAll(callOptions) {
      return pollAllHosts(
        db,
        { probeFor, log: (line) => log(`[worker] ${line}`) },
        { ...callOptions, retentionMs },
      );
    },

    close: () => transports.closeAll(),
  };
}
