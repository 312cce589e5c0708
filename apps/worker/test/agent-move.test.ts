import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { commandAgent, evacuateHost, latestEvacuation, moveAgent, requestRunRetry } from '@pocket-smyth/core';
import { agents, auditEvents, hostEvacuationAgents, hosts, plans, users } from '@pocket-smyth/db';
import { reconcileAgent } from '@pocket-smyth/jobs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MoveWorld, moveSteps, startMoveWorld } from './move-world';
import { agentById, expectTruthfulTimeline, latestRun, stepsOf } from './support';

/**
 * Moves and evacuations with real parts: a real worker (graphile on the test Postgres, libSQL file)
 * running `agent.move` and `host.evacuate`, three "hosts" that are local transports with state
 * directories of their own running the real host scripts (process runtime: real sample agents), real
 * placement from the worker's adapter, and the portal's side through packages/core.
 */
describe('moving agents between hosts', () => {
  type Host = 'left' | 'right' | 'third';
  let world: MoveWorld<Host>;
  let dir: string;
  const evacuees = ['ava', 'ben', 'cleo', 'dan', 'eva', 'finn'];

  const stateDir = (host: Host) => path.join(dir, host);
  const dataFile = (host: Host, username: string) =>
    path.join(stateDir(host), username, 'data', 'memory.txt');
  const changeDeps = () => world.changeDeps();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-move-'));
    const envOf = (host: Host) => ({
      AGENT_RUNTIME: 'process',
      AGENT_STATE_DIR: stateDir(host),
      AGENT_LOCK_DIR: path.join(stateDir(host), '.locks'),
      // A held lock fails a script (busy, transient) after a second rather than a minute.
      AGENT_LOCK_TIMEOUT_S: '1',
    });
    world = await startMoveWorld('agent-move', {
      left: envOf('left'),
      right: envOf('right'),
      third: envOf('third'),
    });
  }, 60_000);

  afterAll(async () => {
    await world?.stop(['mira', 'nils', 'olga', 'pia', ...evacuees]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  /** An active person's agent as a finished provision leaves it: running on `host`, with a file in its data. */
  async function runningAgent(username: string, host: Host): Promise<string> {
    const id = `agent-${username}`;
    const [person] = await world.db
      .insert(users)
      .values({ email: `${username}@example.com`, username, status: 'active' })
      .returning({ id: users.id });
    await world.db.insert(agents).values({
      id,
      userId: person!.id,
      username,
      desiredState: 'running',
      observedState: 'running',
      hostId: world.hostIds[host],
    });
    const provisioned = await world
      .transportOf(host)
      .exec('provision', [username, id, '1', '96', '', 'localhost', '']);
    expect(provisioned.code, provisioned.stdout).toBe(0);
    writeFileSync(dataFile(host, username), `${username}'s memory\n`);
    return id;
  }

  async function health(host: Host, username: string): Promise<unknown> {
    const port = readFileSync(path.join(stateDir(host), username, 'port'), 'utf8').trim();
    return (await fetch(`http://127.0.0.1:${port}/health`)).json();
  }

  it('moves a running agent with its data; the host changes once the target runs it', async () => {
    const db = world.db;
    const id = await runningAgent('mira', 'left');
    // Her plan's memory, not the worker's 96 MB, is what the target's provision gives her agent.
    await db.insert(plans).values({ id: 'plan-move', name: 'Mover', memoryMb: 160 });
    await db.update(users).set({ planId: 'plan-move' }).where(eq(users.username, 'mira'));

    await expect(moveAgent(db, changeDeps(), id, world.hostIds.left)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(moveAgent(db, changeDeps(), id, 'no-such-host')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(moveAgent(db, changeDeps(), 'no-such-agent', world.hostIds.right)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const requested = await moveAgent(db, changeDeps(), id, world.hostIds.right);
    expect(requested).toMatchObject({ fromHostId: world.hostIds.left, toHostId: world.hostIds.right });
    // One move at a time, and no restart in the middle of one (its job would take the move's place).
    await expect(moveAgent(db, changeDeps(), id, world.hostIds.third)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(commandAgent(db, changeDeps(), { agentId: id }, 'restart')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('being moved'),
    });

    await vi.waitFor(async () => expect((await latestRun(db, id, 'move'))?.status).toBe('succeeded'), {
      timeout: 60_000,
      interval: 200,
    });
    const agent = await agentById(db, id);
    expect(agent).toMatchObject({
      hostId: world.hostIds.right,
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
    expect(steps[3]?.outputTail).toContain('1 CPUs, 160 MB: ');
    expect(readFileSync(path.join(stateDir('right'), 'mira', 'memory-mb'), 'utf8')).toBe('160\n');

    // The data arrived, the agent answers on the target, and nothing is left on the source.
    expect(readFileSync(dataFile('right', 'mira'), 'utf8')).toBe("mira's memory\n");
    expect(await health('right', 'mira')).toMatchObject({ status: 'ok', agent: 'mira' });
    expect(() => readFileSync(path.join(stateDir('left'), 'mira', 'memory-mb'))).toThrow();

    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'agent.move_requested'), eq(auditEvents.targetId, id)));
    expect(audit).toMatchObject({ actorLabel: 'admin@example.com', before: { hostId: world.hostIds.left } });
  }, 90_000);

  it('a move that fails before the target runs the agent leaves it running where it was', async () => {
    const db = world.db;
    const id = await runningAgent('nils', 'left');
    // Smaller than any archive: the export step refuses at once (data_too_large is permanent).
    world.deps.agentMoveMaxBytes = 100;
    try {
      await moveAgent(db, changeDeps(), id, world.hostIds.right);
      await vi.waitFor(async () => expect((await latestRun(db, id, 'move'))?.status).toBe('failed'), {
        timeout: 60_000,
        interval: 200,
      });
    } finally {
      world.deps.agentMoveMaxBytes = undefined;
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
    expect(await agentById(db, id)).toMatchObject({ hostId: world.hostIds.left, moveToHostId: null });
    // Started again on its host, with its data; the target never got any.
    expect(await health('left', 'nils')).toMatchObject({ status: 'ok', agent: 'nils' });
    expect(readFileSync(dataFile('left', 'nils'), 'utf8')).toBe("nils's memory\n");
    expect(() => readFileSync(dataFile('right', 'nils'))).toThrow();
    // Nothing to continue: the move is requested again instead.
    await expect(requestRunRetry(db, changeDeps(), run.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  }, 90_000);

  it('an import refused at once stops the export; the move is retried and completes', async () => {
    const db = world.db;
    const id = await runningAgent('pia', 'left');
    // More than the pipes between the scripts buffer: an export nobody reads would block on it.
    writeFileSync(path.join(stateDir('left'), 'pia', 'data', 'bulk.bin'), randomBytes(8 * 1024 * 1024));
    // Another change to pia holds her lock on the target: import-data gives up (busy) without reading.
    const lockDir = path.join(stateDir('right'), '.locks');
    mkdirSync(lockDir, { recursive: true });
    // A group of its own: the lock lives as long as `sleep`, which holds flock's descriptor.
    const holder = spawn('flock', [path.join(lockDir, 'pia.lock'), 'sleep', '60'], {
      stdio: 'ignore',
      detached: true,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await moveAgent(db, changeDeps(), id, world.hostIds.right);
      await vi.waitFor(
        async () =>
          expect((await latestRun(db, id, 'move'))?.errorMessage).toMatch(
            /another change to agent pia is still running.*will retry/,
          ),
        { timeout: 30_000, interval: 200 },
      );
    } finally {
      if (holder.pid) process.kill(-holder.pid, 'SIGKILL');
    }
    await vi.waitFor(async () => expect((await latestRun(db, id, 'move'))?.status).toBe('succeeded'), {
      timeout: 60_000,
      interval: 200,
    });
    const run = (await latestRun(db, id, 'move'))!;
    const importStep = (await stepsOf(db, run.id)).find((step) => step.name === 'import on target');
    expect(importStep?.attempts).toBeGreaterThanOrEqual(2);
    expect(readFileSync(dataFile('right', 'pia'), 'utf8')).toBe("pia's memory\n");
    expect(await agentById(db, id)).toMatchObject({ hostId: world.hostIds.right, observedState: 'running' });
  }, 120_000);

  it('deleting an agent in the middle of a move removes it from both hosts', async () => {
    const db = world.db;
    const id = await runningAgent('olga', 'left');
    // As a worker killed after the import leaves it: stopped here, its data already on the target.
    await world.transportOf('left').exec('stop', ['olga']);
    const chunks: Buffer[] = [];
    const sink = new PassThrough().on('data', (chunk: Buffer) => chunks.push(chunk));
    expect((await world.transportOf('left').stream('export-data', ['olga'], { stdout: sink })).code).toBe(0);
    const data = Buffer.concat(chunks);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const imported = await world
      .transportOf('right')
      .stream('import-data', ['olga', sha256, String(data.length), ''], { stdin: Readable.from([data]) });
    expect(imported.code, imported.stdout).toBe(0);
    expect(existsSync(dataFile('right', 'olga'))).toBe(true);
    await db
      .update(agents)
      .set({ moveToHostId: world.hostIds.right, desiredState: 'absent', observedState: 'provisioning' })
      .where(eq(agents.id, id));

    await world.enqueue([reconcileAgent(id)]);
    await vi.waitFor(async () => expect(await agentById(db, id)).toBeUndefined(), {
      timeout: 60_000,
      interval: 200,
    });
    expect(existsSync(path.join(stateDir('left'), 'olga'))).toBe(false);
    expect(existsSync(path.join(stateDir('right'), 'olga'))).toBe(false);
  }, 90_000);

  it('evacuates a draining host, two agents at a time, with progress', async () => {
    const db = world.db;
    for (const username of evacuees) await runningAgent(username, 'third');
    await expect(evacuateHost(db, changeDeps(), world.hostIds.third, { batchSize: 2 })).rejects.toMatchObject(
      {
        code: 'CONFLICT',
      },
    );
    await db.update(hosts).set({ status: 'draining' }).where(eq(hosts.id, world.hostIds.third));

    const started = await evacuateHost(db, changeDeps(), world.hostIds.third, { batchSize: 2 });
    expect(started).toMatchObject({ status: 'running', total: 6, batchSize: 2 });
    await expect(evacuateHost(db, changeDeps(), world.hostIds.third, { batchSize: 2 })).rejects.toMatchObject(
      {
        code: 'CONFLICT',
      },
    );

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
        const progress = (await latestEvacuation(db, world.hostIds.third))!;
        expect(progress.moved).toBeGreaterThanOrEqual(lastMoved);
        lastMoved = progress.moved;
        expect(progress.moved + progress.failed + progress.remaining).toBe(6);
        expect(progress.status).toBe('finished');
      },
      { timeout: 120_000, interval: 100 },
    );
    expect(mostMoving).toBeGreaterThan(0);
    expect(mostMoving).toBeLessThanOrEqual(2);

    const finished = (await latestEvacuation(db, world.hostIds.third))!;
    expect(finished).toMatchObject({ status: 'finished', moved: 6, failed: 0, remaining: 0, failures: [] });
    expect(finished.endedAt).toBeInstanceOf(Date);
    for (const username of evacuees) {
      const agent = await agentById(db, `agent-${username}`);
      expect([world.hostIds.left, world.hostIds.right]).toContain(agent?.hostId);
      const host = agent?.hostId === world.hostIds.left ? 'left' : 'right';
      expect(readFileSync(dataFile(host, username), 'utf8')).toBe(`${username}'s memory\n`);
      expect(await health(host, username)).toMatchObject({ status: 'ok', agent: username });
      expect((await latestRun(db, `agent-${username}`, 'move'))?.status).toBe('succeeded');
    }
    const [left, right] = await Promise.all(
      (['left', 'right'] as const).map(
        async (name) => (await db.select().from(agents).where(eq(agents.hostId, world.hostIds[name]))).length,
      ),
    );
    // Placement spreads them: the most free capacity first (left holds nils, right mira and pia).
    expect(left! + right!).toBe(9);
    expect(Math.abs(left! - right!)).toBeLessThanOrEqual(1);
    const moveAudits = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'agent.move_requested'));
    expect(moveAudits.filter((a) => evacuees.includes(a.targetLabel ?? ''))).toHaveLength(6);
  }, 180_000);
});
