import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentSamples, agents, hosts } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import type { HostTransport } from '@pocket-smyth/jobs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHostEnv, parseWorkerEnv } from '../src/env';
import { createWorkerHosts, ensureDefaultHost, type WorkerHosts } from '../src/hosts-adapter';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

/**
 * A laptop without a working docker: the default local host runs the bundled sample agent as a real
 * process (the scripts choose the `process` runtime by themselves), reachable on loopback.
 */
describe('the local host without docker', () => {
  let testDb: TestDb;
  let dir: string;
  let adapter: WorkerHosts;
  let transport: HostTransport | undefined;

  beforeAll(async () => {
    testDb = await createTestDb();
    dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-process-'));
    // A docker whose daemon never answers, first on PATH, whatever the machine has.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'docker'), '#!/usr/bin/env bash\necho "daemon not running" >&2\nexit 1\n');
    chmodSync(path.join(bin, 'docker'), 0o755);
    adapter = createWorkerHosts({
      db: testDb.db,
      agentCpus: 1,
      agentMemoryMb: 128,
      domain: 'localhost',
      hostEnv: {
        PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        AGENT_RUNTIME: '',
        AGENT_LOCK_DIR: path.join(dir, 'locks'),
      },
      // No AGENT_STATE_DIR: the worker's default, under DATA_DIR (never the home directory).
      localEnv: localHostEnv(parseWorkerEnv({ DATA_DIR: dir })),
      log: () => {},
    });
  });

  afterAll(async () => {
    // Whatever a failed assertion left running goes too.
    await transport?.exec('deprovision', ['laptop']).catch(() => {});
    await adapter?.close();
    testDb?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('provisions a real sample agent process, polls it, and removes it', async () => {
    expect(await ensureDefaultHost(testDb.db, 3)).toBe(true);
    expect(await ensureDefaultHost(testDb.db, 3)).toBe(false);
    await testDb.db
      .insert(agents)
      .values({ id: 'agent-laptop', username: 'laptop', desiredState: 'running', observedState: 'running' });
    const [initial] = await testDb.db.select().from(agents);
    const hostId = await adapter.place(initial!);
    await testDb.db.update(agents).set({ hostId }).where(eq(agents.id, 'agent-laptop'));
    const placed = { ...initial!, hostId };
    transport = await adapter.hostsFor(placed);

    const provisioned = await transport.exec(
      'provision',
      ['laptop', placed.id, ...adapter.provisionArgs(placed, null)],
      {
        timeoutMs: 30_000,
      },
    );
    expect(provisioned.code, provisioned.stdout + provisioned.stderr).toBe(0);
    const result = JSON.parse(provisioned.stdout) as { runtime: string; state: string; port: number };
    expect(result).toMatchObject({ runtime: 'process', state: 'running' });
    expect(readFileSync(path.join(dir, 'agents', 'laptop', 'port'), 'utf8').trim()).toBe(String(result.port));
    const health = await fetch(`http://127.0.0.1:${result.port}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', agent: 'laptop' });

    await adapter.pollAll({ timeoutMs: 15_000 });
    const [sample] = await testDb.db
      .select()
      .from(agentSamples)
      .where(eq(agentSamples.agentId, 'agent-laptop'));
    expect(sample).toMatchObject({ observedState: 'running' });
    expect(sample?.runningSince).toBeInstanceOf(Date);
    const [host] = await testDb.db.select().from(hosts);
    expect(host).toMatchObject({ name: 'local', lastError: null, lastStats: { agentsRunning: 1 } });

    const removed = await transport.exec('deprovision', ['laptop'], { timeoutMs: 30_000 });
    expect(removed.code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${result.port}/health`)).rejects.toThrow();
    // The host now says it is gone: the poll corrects the observed state so the reconciler acts.
    await adapter.pollAll({ timeoutMs: 15_000 });
    const [after] = await testDb.db.select().from(agents);
    expect(after?.observedState).toBe('absent');
  });
});
