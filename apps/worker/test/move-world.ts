import type { ChangeDeps } from '@pocket-smyth/core';
import { hosts } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { createMailer } from '@pocket-smyth/email';
import { LocalTransport } from '@pocket-smyth/hosts';
import {
  type AgentHosts,
  allJobs,
  createEnqueue,
  type HostTransport,
  type JobDeps,
  type JobEnqueuer,
  jobsInFlight,
  silentLogger,
  startJobWorker,
} from '@pocket-smyth/jobs';
import { createScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { createWorkerHosts } from '../src/hosts-adapter';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

/** The steps of a move run, as the timeline shows them. */
export const moveSteps = [
  'stop on source',
  'export data',
  'import on target',
  'provision on target',
  'wait for health',
  'remove from source',
  'update identity provider',
];

/** A worker running the product's jobs over several hosts, each a local transport of its own. */
export interface MoveWorld<Host extends string> {
  db: TestDb['db'];
  /** The jobs' dependencies: tests may change `agentMoveMaxBytes` for a case. */
  deps: JobDeps;
  enqueue: JobEnqueuer;
  hostIds: Record<Host, string>;
  transportOf(host: Host): LocalTransport;
  /** The portal's side of a change, as an admin. */
  changeDeps(): ChangeDeps;
  /** Removes the named agents from every host, then stops everything. */
  stop(usernames: readonly string[]): Promise<void>;
}

const admin = { kind: 'person' as const, id: 'admin-1', label: 'admin@example.com', personId: 'admin-1' };

/**
 * Moves and evacuations with real parts: a real worker (graphile on the test Postgres, a libSQL file)
 * running every job, one host row per entry of `hostEnvs` whose scripts run through a local transport
 * with that environment (its own agent state directory, or its own Docker engine), the worker's own
 * placement and provision arguments (`createWorkerHosts`), and the portal's side through packages/core.
 */
export async function startMoveWorld<Host extends string>(
  name: string,
  hostEnvs: Record<Host, Record<string, string>>,
  options: { agentImage?: string } = {},
): Promise<MoveWorld<Host>> {
  const testDb = await createTestDb();
  const database = await createScratchDatabase(await testPostgresUrl(), name);
  const enqueue = createEnqueue(database.url, { jobs: allJobs });
  const utils = await enqueue.workerUtils();
  const db = testDb.db;
  const hostIds = {} as Record<Host, string>;
  const transports = new Map<string, LocalTransport>();
  for (const [host, env] of Object.entries(hostEnvs) as [Host, Record<string, string>][]) {
    const [row] = await db.insert(hosts).values({ name: host, transport: 'local', capacity: 10 }).returning();
    hostIds[host] = row!.id;
    transports.set(row!.id, new LocalTransport({ env }));
  }
  const transportById = (hostId: string): HostTransport => {
    const transport = transports.get(hostId);
    if (!transport) throw new Error(`no transport for host ${hostId}`);
    return {
      exec: (script, args, callOptions) => transport.exec(script as 'status', args, callOptions),
      stream: (script, args, callOptions) => transport.stream(script, args, callOptions),
    };
  };
  const adapter = createWorkerHosts({
    db,
    agentCpus: 1,
    agentMemoryMb: 96,
    domain: 'localhost',
    ...(options.agentImage ? { agentImage: options.agentImage } : {}),
    log: () => {},
  });
  const agentHosts: AgentHosts = {
    place: (agent) => adapter.place(agent),
    provisionArgs: (agent, image, limits) => adapter.provisionArgs(agent, image, limits),
    defaultLimits: adapter.defaultLimits,
    // The image provision falls back to, as the worker's adapter has it (a move's import needs one).
    ...(adapter.defaultImage ? { defaultImage: adapter.defaultImage } : {}),
    hostsFor: async (agent) => transportById(agent.hostId),
    pollAll: async () => {},
  };
  const deps: JobDeps = {
    db,
    hosts: agentHosts,
    idp: null,
    mail: createMailer({ db, from: 'Pocket Smyth <noreply@example.test>', log: () => {} }),
    agentUrl: (username) => `http://localhost/u/${username}/agent`,
    dashboardUrl: () => 'http://localhost/',
    portalUrl: 'http://localhost',
    enqueue,
    jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
    scriptTimeoutMs: 60_000,
  };
  const runner = await startJobWorker({
    connectionString: database.url,
    jobs: allJobs,
    deps,
    logger: silentLogger,
    pollInterval: 100,
    concurrency: 4,
  });
  return {
    db,
    deps,
    enqueue,
    hostIds,
    transportOf: (host) => transports.get(hostIds[host])!,
    changeDeps: () => ({ actor: admin, requestId: 'req-move', ip: null, enqueue }),
    async stop(usernames) {
      await runner.stop();
      for (const transport of transports.values()) {
        for (const username of usernames)
          await transport.exec('deprovision', [username]).catch(() => undefined);
        await transport.close();
      }
      await adapter.close();
      await enqueue.release();
      await database.drop();
      testDb.cleanup();
    },
  };
}
