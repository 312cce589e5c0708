import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type ChangeDeps,
  evacuateHost,
  latestEvacuation,
  moveAgent,
  requestRunRetry,
} from '@pocket-smyth/core';
import { agents, auditEvents, hostEvacuationAgents, hosts } from '@pocket-smyth/db';
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
import { createScratchDatabase, type ScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { and, eq } from 'drizzle-orm';
import type { Runner } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorkerHosts, type WorkerHosts } from '../src/hosts-adapter';
import { agentById, expectTruthfulTimeline, latestRun, stepsOf } from './support';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

const moveSteps = [
  'stop on source',
  'export data',
  'import on target',
  'provision on target',
  'wait for health',
  'remove from source',
  'update identity provider',
];

/**
 * Moves and evacuations with real parts: a real worker (graphile on the test Postgres, libSQL file)
 * running `agent.move` and `host.evacuate`, three "hosts" that are local transports with state
 * directories of their own running the real host scripts (process runtime: real sample agents), real
 * placement from the worker's adapter, and the portal's side through packages/core.
 */
describe('moving agents between hosts', () => {
  let testDb: TestDb;
  let database: ScratchDatabase;
  let enqueue: JobEnqueuer;
  let runner: Runner;
  let adapter: WorkerHosts;
  let dir: string;
  let deps: JobDeps;
  const transports = new Map<string, LocalTransport>();
  const hostIds: Record<'left' | 'right' | 'third', string> = { left: '', right: '', third: '' };
  const admin = { kind: 'person' as const, id: 'admin-1', label: 'admin@example.com', personId: 'admin-1' };
  const changeDeps = (): ChangeDeps => ({ actor: admin, requestId: 'req-move', ip: null, enqueue });

  const stateDir = (host: keyof typeof hostIds) => path.join(dir, host);
  const dataFile = (host: keyof typeof hostIds, username: string) =>
    path.join(stateDir(host), username, 'data', 'memory.txt');
  const transportOf = (hostId: string): HostTransport => {
    const transport = transports.get(hostId);
    if (!transport) throw new Error(`no transport for host ${hostId}`);
    return {
      exec: (script, args, options) => transport.exec(script as 'status', args, options),
      stream: (script, args, options) => transport.stream(script, args, options),
    };
  };

  beforeAll(async () => {
    testDb = await createTestDb();
    database = await createScratchDatabase(await testPostgresUrl(), 'agent-move');
    dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-move-'));
    enqueue = createEnqueue(database.url, { jobs: allJobs });
    const utils = await enqueue.workerUtils();
    const db = testDb.db;
    for (const name of ['left', 'right', 'third'] as const) {
      const [row] = await db.insert(hosts).values({ name, transport: 'local', capacity: 10 }).returning();
      hostIds[name] = row!.id;
      transports.set(
        row!.id,
        new LocalTransport({
          env: {
            AGENT_RUNTIME: 'process',
            AGENT_STATE_DIR: stateDir(name),
            AGENT_LOCK_DIR: path.join(stateDir(name), '.locks'),
          },
        }),
      );
    }
    adapter = createWorkerHosts({ db, agentCpus: 1, agentMemoryMb: 96, domain: 'localhost', log: () => {} });
    // The worker's own placement and provision arguments; each host's scripts through its own transport.
    const agentHosts: AgentHosts = {
      place: (agent) => adapter.place(agent),
      provisionArgs: (agent) => adapter.provisionArgs(agent),
      hostsFor: async (agent) => transportOf(agent.hostId),
      pollAll: async () => {},
    };
    deps = {
      db,
      hosts: agentHosts,
      idp: null,
      mail: createMailer({ db, from: 'Pocket Smyth <noreply@example.test>', log: () => {} }),
      agentUrl: (username) => `http://localhost/u/${username}/agent`,
      dashboardUrl: () => 'http://localhost/',
      portalUrl: 'http://localhost',
      enqueue,
      jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
      scriptTimeoutMs: 30_000,
    };
    runner = await startJobWorker({
      connectionString: database.url,
      jobs: allJobs,
      deps,
      logger: silentLogger,
      pollInterval: 100,
      concurrency: 4,
    });
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    for (const transport of transports.values()) {
      for (const username of ['mira', 'nils', ...evacuees]) {
        await transport.exec('deprovision', [username]).catch(() => undefined);
      }
      await transport.close();
    }
    await adapter?.close();
    await enqueue?.release();
    await database?.drop();
    testDb?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  /** An agent as a finished provision leaves it: running on `host`, with a file in its data. */
  async function runningAgent(username: string, host: keyof typeof hostIds): Promise<string> {
    const id = `agent-${username}`;
    await testDb.db.insert(agents).values({
      id,
      username,
      desiredState: 'running',
      observedState: 'running',
      hostId: hostIds[host],
    });
    const provisioned = await transports
      .get(hostIds[host])!
      .exec('provision', [username, id, '1', '96', '', 'localhost', '']);
    expect(provisioned.code, provisioned.stdout).toBe(0);
    writeFileSync(dataFile(host, username), `${username}'s memory\n`);
    return id;
  }

  async function health(host: keyof typeof hostIds, username: string): Promise<unknown> {
    const port = readFileSync(path.join(stateDir(host), username, 'port'), 'utf8').trim();
    return (await fetch(`http://127.0.0.1:${port}/health`)).json();
  }

  it('moves a running agent with its data; the host changes once the target runs it', async () => {
    const db = testDb.db;
    const id = await runningAgent('mira', 'left');

    await expect(moveAgent(db, changeDeps(), id, hostIds.left)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(moveAgent(db, changeDeps(), id, 'no-such-host')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(moveAgent(db, changeDeps(), 'no-such-agent', hostIds.right)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const requested = await moveAgent(db, changeDeps(), id, hostIds.right);
    expect(requested).toMatchObject({ fromHostId: hostIds.left, toHostId: hostIds.right });
    // One move at a time.
    await expect(moveAgent(db, changeDeps(), id, hostIds.third)).rejects.toMatchObject({ code: 'CONFLICT' });

    await vi.waitFor(async () => expect((await latestRun(db, id, 'move'))?.status).toBe('succeeded'), {
      timeout: 60_000,
      interval: 200,
    });
    const agent = await agentById(db, id);
    expect(agent).toMatchObject({
      hostId: hostIds.right,
      moveToHostId: null,
      movedFromHostId: null,
      observedState: 'running',
    });
    const run = (await latestRun(db, id, 'move'))!;
    const steps = await stepsOf(db, run.id);
    expectTruthfulTimeline(steps, moveSteps);
    expect(steps.map((s) => s.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'skipped',
    ]);
    expect(steps[1]?.outputTail).toMatch(/sha256=[0-9a-f]{64} bytes=\d+/);
    expect(run.requestedByLabel).toBe('admin@example.com');

    // The data arrived, the agent answers on the target, and nothing is left on the source.
    expect(readFileSync(dataFile('right', 'mira'), 'utf8')).toBe("mira's memory\n");
    expect(await health('right', 'mira')).toMatchObject({ status: 'ok', agent: 'mira' });
    expect(() => readFileSync(path.join(stateDir('left'), 'mira', 'memory-mb'))).toThrow();

    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'agent.move_requested'), eq(auditEvents.targetId, id)));
    expect(audit).toMatchObject({ actorLabel: 'admin@example.com', before: { hostId: hostIds.left } });
  }, 90_000);

  it('a move that fails before the target runs the agent leaves it running where it was', async () => {
    const db = testDb.db;
    const id = await runningAgent('nils', 'left');
    // Smaller than any archive: the export step refuses at once (data_too_large is permanent).
    deps.agentMoveMaxBytes = 100;
    try {
      await moveAgent(db, changeDeps(), id, hostIds.right);
      await vi.waitFor(async () => expect((await latestRun(db, id, 'move'))?.status).toBe('failed'), {
        timeout: 60_000,
        interval: 200,
      });
    } finally {
      deps.agentMoveMaxBytes = undefined;
    }
    const run = (await latestRun(db, id, 'move'))!;
    expect(run.errorClass).toBe('data_too_large');
    const steps = await stepsOf(db, run.id);
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['stop on source', 'succeeded'],
      ['export data', 'failed'],
      ['import on target', 'queued'],
      ['provision on target', 'queued'],
      ['wait for health', 'queued'],
      ['remove from source', 'queued'],
      ['update identity provider', 'queued'],
    ]);
    expect(await agentById(db, id)).toMatchObject({ hostId: hostIds.left, moveToHostId: null });
    // Started again on its host, with its data; the target never got any.
    expect(await health('left', 'nils')).toMatchObject({ status: 'ok', agent: 'nils' });
    expect(readFileSync(dataFile('left', 'nils'), 'utf8')).toBe("nils's memory\n");
    expect(() => readFileSync(dataFile('right', 'nils'))).toThrow();
    // Nothing to continue: the move is requested again instead.
    await expect(requestRunRetry(db, changeDeps(), run.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  }, 90_000);

  const evacuees = ['ava', 'ben', 'cleo', 'dan', 'eva', 'finn'];

  it('evacuates a draining host, two agents at a time, with progress', async () => {
    const db = testDb.db;
    for (const username of evacuees) await runningAgent(username, 'third');
    await expect(evacuateHost(db, changeDeps(), hostIds.third, { batchSize: 2 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await db.update(hosts).set({ status: 'draining' }).where(eq(hosts.id, hostIds.third));

    const started = await evacuateHost(db, changeDeps(), hostIds.third, { batchSize: 2 });
    expect(started).toMatchObject({ status: 'running', total: 6, batchSize: 2 });
    await expect(evacuateHost(db, changeDeps(), hostIds.third, { batchSize: 2 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    // Never more than a batch on the move, while progress only goes up.
    let mostMoving = 0;
    let lastMoved = 0;
    await vi.waitFor(
      async () => {
        const moving = await db
          .select()
          .from(hostEvacuationAgents)
          .where(
            and(eq(hostEvacuationAgents.evacuationId, started.id), eq(hostEvacuationAgents.status, 'moving')),
          );
        mostMoving = Math.max(mostMoving, moving.length);
        const progress = (await latestEvacuation(db, hostIds.third))!;
        expect(progress.moved).toBeGreaterThanOrEqual(lastMoved);
        lastMoved = progress.moved;
        expect(progress.moved + progress.failed + progress.remaining).toBe(6);
        expect(progress.status).toBe('finished');
      },
      { timeout: 120_000, interval: 100 },
    );
    expect(mostMoving).toBeGreaterThan(0);
    expect(mostMoving).toBeLessThanOrEqual(2);

    const finished = (await latestEvacuation(db, hostIds.third))!;
    expect(finished).toMatchObject({ status: 'finished', moved: 6, failed: 0, remaining: 0, failures: [] });
    expect(finished.endedAt).toBeInstanceOf(Date);
    for (const username of evacuees) {
      const agent = await agentById(db, `agent-${username}`);
      expect([hostIds.left, hostIds.right]).toContain(agent?.hostId);
      const host = agent?.hostId === hostIds.left ? 'left' : 'right';
      expect(readFileSync(dataFile(host, username), 'utf8')).toBe(`${username}'s memory\n`);
      expect(await health(host, username)).toMatchObject({ status: 'ok', agent: username });
      expect((await latestRun(db, `agent-${username}`, 'move'))?.status).toBe('succeeded');
    }
    const [left, right] = await Promise.all(
      (['left', 'right'] as const).map(
        async (name) => (await db.select().from(agents).where(eq(agents.hostId, hostIds[name]))).length,
      ),
    );
    // Placement spreads them: the most free capacity first (left holds nils, right holds mira).
    expect(left! + right!).toBe(8);
    expect(Math.abs(left! - right!)).toBeLessThanOrEqual(1);
    const moveAudits = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'agent.move_requested'));
    expect(moveAudits.filter((a) => evacuees.includes(a.targetLabel ?? ''))).toHaveLength(6);
  }, 180_000);
});
