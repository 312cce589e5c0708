import { randomBytes } from 'node:crypto';
// The admin procedure's domain function (not exported from the api package's index).
import { addHost, approvePeople } from '@pocket-smyth/core';
import { agents, type DbHandle, hosts } from '@pocket-smyth/db';
import { generateEncryptionKey } from '@pocket-smyth/hosts';
import { type FakeDocker, freePort, startTestSshd, type TestSshd } from '@pocket-smyth/hosts/testing';
import type { JobEnqueuer } from '@pocket-smyth/jobs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  agentOf,
  changeDeps,
  expectTruthfulTimeline,
  latestRun,
  pendingPerson,
  stepsOf,
  waitForObserved,
} from './support';
import { startTestWorker, type TestWorker } from './test-worker';

const wrongFingerprint = () => `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;

/** Hosts over ssh: the real OpenSSH sshd on loopback (ssh2's server where it is not installed). */
describe('provisioning over ssh', () => {
  let world: TestWorker;
  let fake: FakeDocker;
  let sshd: TestSshd;
  let app: DbHandle;
  let enqueue: JobEnqueuer;
  const encryptionKey = generateEncryptionKey();
  const accepted = () => (sshd.log().match(/Accepted publickey/g) ?? []).length;

  beforeAll(async () => {
    [world, sshd] = await Promise.all([
      startTestWorker('ssh', { HOST_KEY_ENCRYPTION_KEY: encryptionKey }),
      startTestSshd(),
    ]);
    ({ fake, app, enqueue } = world);
    // New agents go to ssh hosts only.
    await app.db.update(hosts).set({ status: 'draining' }).where(eq(hosts.name, 'local'));
  });

  afterAll(async () => {
    await world?.stop();
    await sshd?.stop();
  });

  it('an admin adds a host with its key encrypted; approve → running on it', async () => {
    const added = await addHost(
      app.db,
      changeDeps(enqueue),
      {
        name: 'ssh-one',
        transport: 'ssh',
        address: sshd.host,
        port: sshd.port,
        user: sshd.user,
        privateKey: sshd.clientPrivateKey,
        hostKeyFingerprint: sshd.hostKeyFingerprint,
        capacity: 5,
      },
      encryptionKey,
    );
    expect(added).toMatchObject({ keyKind: 'encrypted', agentsPlaced: 0, status: 'active' });
    const [row] = await app.db.select().from(hosts).where(eq(hosts.id, added.id));
    expect(row?.keyRef).toMatch(/^enc:v1\./);
    expect(row?.keyRef).not.toContain('PRIVATE KEY');

    const personId = await pendingPerson(app.db, 'dave');
    await approvePeople(app.db, changeDeps(enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'running');
    expect((await agentOf(app.db, personId))?.hostId).toBe(added.id);
    const run = (await latestRun(app.db, agent.id, 'provision'))!;
    expectTruthfulTimeline(await stepsOf(app.db, run.id), [
      'place on host',
      'run provision script',
      'wait for health',
      'update identity provider',
      'send email',
    ]);
    expect(fake.container('ps-agent-dave')?.State.Running).toBe(true);
    if (sshd.kind === 'openssh') expect(accepted()).toBeGreaterThan(0);
  });

  it('a host that presents another key is refused before logging in, and the run fails at once', async () => {
    const acceptedBefore = sshd.kind === 'openssh' ? accepted() : 0;
    const [host] = await app.db
      .insert(hosts)
      .values({
        name: 'impostor',
        transport: 'ssh',
        address: sshd.host,
        port: sshd.port,
        sshUser: sshd.user,
        keyRef: `file:${sshd.clientKeyPath}`,
        hostKeyFingerprint: wrongFingerprint(),
      })
      .returning();
    await app.db
      .insert(agents)
      .values({ id: 'agent-imp', username: 'erin', desiredState: 'running', hostId: host!.id });
    fake.clearCalls();
    await enqueue([
      { name: 'agent.provision', payload: { agentId: 'agent-imp' }, key: 'agent:provision:agent-imp' },
    ]);
    await vi.waitFor(async () => expect((await latestRun(app.db, 'agent-imp'))?.status).toBe('failed'), {
      timeout: 30_000,
      interval: 100,
    });
    const run = (await latestRun(app.db, 'agent-imp'))!;
    expect(run.errorClass).toBe('host_key_mismatch');
    const failed = (await stepsOf(app.db, run.id)).find((s) => s.status === 'failed');
    expect(failed).toMatchObject({ name: 'run provision script', errorClass: 'host_key_mismatch' });
    expect(fake.calls()).toEqual([]);
    if (sshd.kind === 'openssh') expect(accepted()).toBe(acceptedBefore);
  });

  it('an unreachable host is retried with backoff and the step says host_unreachable', async () => {
    const closedPort = await freePort();
    const [host] = await app.db
      .insert(hosts)
      .values({
        name: 'gone',
        transport: 'ssh',
        address: '127.0.0.1',
        port: closedPort,
        sshUser: sshd.user,
        keyRef: `file:${sshd.clientKeyPath}`,
        hostKeyFingerprint: sshd.hostKeyFingerprint,
        status: 'draining',
      })
      .returning();
    await app.db
      .insert(agents)
      .values({ id: 'agent-far', username: 'frank', desiredState: 'running', hostId: host!.id });
    await enqueue([
      { name: 'agent.provision', payload: { agentId: 'agent-far' }, key: 'agent:provision:agent-far' },
    ]);
    const utils = await enqueue.workerUtils();
    // The second attempt comes after graphile's backoff (about e¹ s), not at once.
    await vi.waitFor(
      async () => {
        const run = await latestRun(app.db, 'agent-far');
        const step = run && (await stepsOf(app.db, run.id)).find((s) => s.name === 'run provision script');
        expect(step?.attempts ?? 0).toBeGreaterThanOrEqual(2);
        // …and the second attempt failed as the first did.
        expect(step?.errorClass).toBe('host_unreachable');
      },
      { timeout: 30_000, interval: 200 },
    );
    const run = (await latestRun(app.db, 'agent-far'))!;
    const steps = await stepsOf(app.db, run.id);
    const failing = steps.find((s) => s.name === 'run provision script');
    expect(failing?.errorClass).toBe('host_unreachable');
    const jobs = await utils.withPgClient(async (client) => {
      const { rows } = await client.query<{ attempts: number; last_error: string | null; run_at: Date }>(
        `select attempts, last_error, run_at from graphile_worker.jobs where key = 'agent:provision:agent-far'`,
      );
      return rows;
    });
    expect(jobs[0]?.attempts).toBeGreaterThanOrEqual(1);
    expect(jobs[0]?.last_error ?? '').toMatch(/ECONNREFUSED|unreachable/i);
    // Stop retrying: the agent is no longer wanted there.
    await utils.withPgClient((client) =>
      client.query(`select graphile_worker.remove_job('agent:provision:agent-far')`),
    );
  });
});
