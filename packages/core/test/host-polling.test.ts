/**
 * The host poll as domain functions: what one round of status + stats answers does to the tables, with
 * the scripts stood in by probes (the worker's tests run the real scripts through its adapter).
 */
import { agentSamples, agents, hostSamples, hosts } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import {
  decryptPrivateKey,
  generateEncryptionKey,
  parseEncryptionKey,
} from '@pocket-smyth/hosts/private-key';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentsPlacedPerHost,
  encryptHostPrivateKey,
  type HostProbe,
  hostHistory,
  pollAllHosts,
  type ReportedHostStats,
  type ReportedHostStatus,
} from '../src/index';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

const GiB = 1024 ** 3;
const HOUR = 3_600_000;
const stats: ReportedHostStats = {
  cpuPercent: 12.5,
  memUsedBytes: 2 * GiB + 0.4,
  memTotalBytes: 8 * GiB,
  diskUsedBytes: 10 * GiB,
  diskTotalBytes: 100 * GiB,
};

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(() => testDb?.cleanup());

function probeOf(status: ReportedHostStatus | Error, calls: string[] = []): HostProbe {
  return {
    status: async (options) => {
      calls.push(`status ${options.timeoutMs}`);
      if (status instanceof Error) throw status;
      return status;
    },
    stats: async (options) => {
      calls.push(`stats ${options.timeoutMs}`);
      return stats;
    },
  };
}

describe('pollAllHosts', () => {
  it('stores stats and samples, corrects drift, records failures and prunes old samples', async () => {
    const { db } = testDb;
    const [good, down] = await db
      .insert(hosts)
      .values([
        { name: 'good', transport: 'local' },
        { name: 'down', transport: 'local', lastError: null },
        { name: 'odd', transport: 'local', lastError: 'from before' },
      ])
      .returning();
    const past = new Date(Date.now() - 60_000);
    await db.insert(agents).values([
      // Running as far as we know, but the host says stopped: corrected.
      { id: 'ag-ann', username: 'ann', hostId: good!.id, observedState: 'running', observedAt: past },
      // In the middle of a job: left to that job.
      { id: 'ag-bob', username: 'bob', hostId: good!.id, observedState: 'provisioning', observedAt: past },
      // Stopped, and the host does not know it at all: absent.
      { id: 'ag-cat', username: 'cat', hostId: good!.id, observedState: 'stopped', observedAt: past },
      // Changed by a job after the poll began: the job wins.
      {
        id: 'ag-dan',
        username: 'dan',
        hostId: good!.id,
        observedState: 'running',
        observedAt: new Date(Date.now() + HOUR),
      },
      { id: 'ag-eve', username: 'eve', hostId: down!.id, observedState: 'running', observedAt: past },
    ]);
    const dayAgo = new Date(Date.now() - 25 * HOUR);
    await db.insert(agentSamples).values([
      { agentId: 'ag-ann', at: dayAgo, observedState: 'running' },
      { agentId: 'long-gone', at: new Date(), observedState: 'running' },
    ]);
    await db.insert(hostSamples).values({ hostId: 'any-host', at: dayAgo });

    const since = new Date(Date.now() - 5_000);
    const calls: string[] = [];
    const lines: string[] = [];
    await pollAllHosts(
      db,
      {
        probeFor(host) {
          if (host.name === 'odd') throw new Error('Host odd lacks its ssh settings');
          if (host.name === 'down') {
            return probeOf(Object.assign(new Error('no route'), { errorClass: 'host_unreachable' }));
          }
          return probeOf(
            {
              agents: [
                { username: 'ann', state: 'stopped', cpuPercent: 0, memoryBytes: 0, since: null },
                { username: 'bob', state: 'running', cpuPercent: 3, memoryBytes: 1_000, since },
                { username: 'dan', state: 'stopped', cpuPercent: 0, memoryBytes: 0, since: null },
                { username: 'stray', state: 'running', cpuPercent: 1, memoryBytes: 10, since },
              ],
            },
            calls,
          );
        },
        log: (line) => lines.push(line),
      },
      { timeoutMs: 7_000, retentionMs: 24 * HOUR },
    );

    // One status and one stats call on the good host, with the job's options.
    expect(calls.sort()).toEqual(['stats 7000', 'status 7000']);

    const byName = new Map((await db.select().from(hosts)).map((h) => [h.name, h]));
    expect(byName.get('good')).toMatchObject({
      lastError: null,
      lastStats: {
        cpuPercent: 12.5,
        memoryUsedBytes: 2 * GiB + 0.4,
        memoryTotalBytes: 8 * GiB,
        diskUsedBytes: 10 * GiB,
        diskTotalBytes: 100 * GiB,
        agentsRunning: 2,
      },
    });
    expect(byName.get('good')?.lastSeenAt).toBeInstanceOf(Date);
    expect(byName.get('down')).toMatchObject({ lastError: 'host_unreachable: no route', lastSeenAt: null });
    // A host that cannot even be probed is logged; its last error is left as it was.
    expect(byName.get('odd')).toMatchObject({ lastError: 'from before', lastSeenAt: null });
    expect(lines.sort()).toEqual([
      'host down: poll failed: host_unreachable: no route',
      'host good: agent ann is stopped, was running',
      'host good: agent cat is absent, was stopped',
      'host odd: poll error: Host odd lacks its ssh settings',
    ]);

    const observed = new Map((await db.select().from(agents)).map((a) => [a.username, a.observedState]));
    expect(Object.fromEntries(observed)).toEqual({
      ann: 'stopped',
      bob: 'provisioning',
      cat: 'absent',
      dan: 'running',
      eve: 'running',
    });

    const [hostSample, ...moreHostSamples] = await db
      .select()
      .from(hostSamples)
      .where(eq(hostSamples.hostId, good!.id));
    expect(moreHostSamples).toEqual([]);
    expect(hostSample).toMatchObject({
      cpuPercent: 12.5,
      memoryUsedBytes: 2 * GiB,
      memoryTotalBytes: 8 * GiB,
      diskUsedBytes: 10 * GiB,
      diskTotalBytes: 100 * GiB,
    });
    const samples = await db.select().from(agentSamples);
    const byAgent = new Map(samples.map((s) => [s.agentId, s]));
    // One per agent placed on the polled host (the stray container is not ours), none older than the
    // retention, none of agents that no longer exist.
    expect([...byAgent.keys()].sort()).toEqual(['ag-ann', 'ag-bob', 'ag-cat', 'ag-dan']);
    expect(samples).toHaveLength(4);
    expect(byAgent.get('ag-bob')).toMatchObject({
      observedState: 'running',
      cpuPercent: 3,
      memoryBytes: 1_000,
      runningSince: since,
    });
    expect(byAgent.get('ag-cat')).toMatchObject({
      observedState: 'absent',
      cpuPercent: null,
      memoryBytes: null,
      runningSince: null,
    });
    expect(await db.select().from(hostSamples).where(eq(hostSamples.hostId, 'any-host'))).toEqual([]);

    // What the poll wrote is what the admin chart reads.
    const history = await hostHistory(db, good!.id, 1);
    expect(history.latest).toMatchObject({ cpuPercent: 12.5, memoryPercent: 25, diskPercent: 10 });
  });

  it("dates a change the host reports by the host's own time for it, when that time is believable", async () => {
    const { db } = testDb;
    const [late] = await db.insert(hosts).values({ name: 'late', transport: 'local' }).returning();
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await db.insert(agents).values(
      ['fay', 'gus', 'hal'].map((username) => ({
        id: `ag-${username}`,
        username,
        hostId: late!.id,
        observedState: 'running' as const,
        observedAt: tenMinutesAgo,
      })),
    );
    const stoppedAt = new Date(Date.now() - 7 * 60_000);
    const before = Date.now();
    await pollAllHosts(
      db,
      {
        probeFor: () =>
          probeOf({
            agents: [
              // Stopped seven minutes ago, while nobody polled: dated then.
              { username: 'fay', state: 'stopped', cpuPercent: 0, memoryBytes: 0, since: stoppedAt },
              // A time before our own last word, or in the future, is not believed: now.
              { username: 'gus', state: 'stopped', cpuPercent: 0, memoryBytes: 0, since: new Date(0) },
              {
                username: 'hal',
                state: 'stopped',
                cpuPercent: 0,
                memoryBytes: 0,
                since: new Date(Date.now() + HOUR),
              },
            ],
          }),
        log: () => {},
      },
      { timeoutMs: 7_000, retentionMs: 24 * HOUR },
    );
    const observed = new Map(
      (await db.select().from(agents).where(eq(agents.hostId, late!.id))).map((a) => [a.username, a]),
    );
    expect(observed.get('fay')).toMatchObject({ observedState: 'stopped', observedAt: stoppedAt });
    for (const name of ['gus', 'hal']) {
      expect(observed.get(name)?.observedState).toBe('stopped');
      expect(observed.get(name)?.observedAt.getTime()).toBeGreaterThanOrEqual(before);
    }
  });

  it('counts agents per host the way placement and the host list both use', async () => {
    const { db } = testDb;
    const placed = await agentsPlacedPerHost(db);
    const byName = new Map((await db.select().from(hosts)).map((h) => [h.name, h.id]));
    expect(placed.get(byName.get('good')!)).toBe(4);
    expect(placed.get(byName.get('down')!)).toBe(1);
    expect(placed.has(byName.get('odd')!)).toBe(false);
  });
});

describe('encryptHostPrivateKey', () => {
  const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

  it('writes the one format packages/hosts decrypts', () => {
    const keyText = generateEncryptionKey();
    const blob = encryptHostPrivateKey(pem, keyText);
    expect(blob.startsWith('v1.')).toBe(true);
    expect(decryptPrivateKey(blob, parseEncryptionKey(keyText))).toBe(pem);
  });

  it('refuses a key of the wrong size as a bad request', () => {
    expect(() => encryptHostPrivateKey(pem, 'c2hvcnQ=')).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(/32 bytes/) }),
    );
  });
});
