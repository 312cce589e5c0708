import { existsSync } from 'node:fs';
import path from 'node:path';
import { approvePeople, deletePerson, requestAgentRestart, revokePerson } from '@pocket-smyth/core';
import { agentSamples, agents, type DbHandle, hostSamples, hosts, outbox, users } from '@pocket-smyth/db';
import type { FakeDocker } from '@pocket-smyth/hosts/testing';
import { type JobEnqueuer, jobsInFlight, reconcileAgents } from '@pocket-smyth/jobs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorkerHosts, type WorkerHosts } from '../src/hosts-adapter';
import {
  agentOf,
  changeDeps,
  expectTruthfulTimeline,
  fakeDockerCli,
  latestRun,
  pendingPerson,
  runsOf,
  stepsOf,
  waitForObserved,
} from './support';
import { startTestWorker, type TestWorker } from './test-worker';

const provisionSteps = [
  'place on host',
  'run provision script',
  'wait for health',
  'update identity provider',
  'send email',
];

/**
 * The whole pipeline with real parts: the worker as `pnpm start` builds it (real Postgres queue, libSQL
 * file, the default `local` host it creates), the real host scripts run by bash against the fake docker.
 */
describe('provisioning through the local host', () => {
  let world: TestWorker;
  let dir: string;
  let fake: FakeDocker;
  let app: DbHandle;
  let enqueue: JobEnqueuer;
  let poller: WorkerHosts;

  beforeAll(async () => {
    world = await startTestWorker('pipeline');
    ({ dir, fake, app, enqueue } = world);
    poller = createWorkerHosts({
      db: app.db,
      agentCpus: 1,
      agentMemoryMb: 256,
      domain: 'example.test',
      hostEnv: fake.env,
      log: () => {},
    });
  });

  afterAll(async () => {
    await poller?.close();
    await world?.stop();
  });

  it('creates the local host on a fresh install', async () => {
    const rows = await app.db.select().from(hosts);
    expect(rows).toMatchObject([{ name: 'local', transport: 'local', status: 'active', capacity: 10 }]);
  });

  it('approve → running, restart, revoke → stopped, delete → gone', async () => {
    const personId = await pendingPerson(app.db, 'alice');
    const [result] = await approvePeople(app.db, changeDeps(enqueue), [personId]);
    expect(result).toMatchObject({ ok: true, status: 'active' });
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'running');

    const provision = (await latestRun(app.db, agent.id, 'provision'))!;
    expect(provision.status).toBe('succeeded');
    const steps = await stepsOf(app.db, provision.id);
    expectTruthfulTimeline(steps, provisionSteps);
    expect(steps.map((s) => s.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'skipped',
      'succeeded',
    ]);
    const container = fake.container('ps-agent-alice');
    expect(container?.State.Running).toBe(true);
    expect(container?.Config.Labels['pocket-smyth.agent-id']).toBe(agent.id);
    expect(container?.HostConfig).toMatchObject({ Memory: 2048 * 1024 * 1024, NanoCpus: 1e9 });

    // Restart: the person's button.
    await requestAgentRestart(app.db, changeDeps(enqueue), personId);
    await vi.waitFor(
      async () => expect((await latestRun(app.db, agent.id, 'restart'))?.status).toBe('succeeded'),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
    await waitForObserved(app.db, agent.id, 'running');
    expect(fake.calls().some((call) => call.argv[0] === 'restart' || call.argv.includes('restart'))).toBe(
      true,
    );

    // Revoke: stopped, data kept.
    await revokePerson(app.db, changeDeps(enqueue), personId, 'left the team');
    await waitForObserved(app.db, agent.id, 'stopped');
    expect(fake.container('ps-agent-alice')?.State.Running).toBe(false);
    expect(fake.volumes()).toContain('ps-agent-alice-data');
    expect((await latestRun(app.db, agent.id, 'stop'))?.status).toBe('succeeded');

    // Delete: container and volume removed, then the agent row.
    await deletePerson(app.db, changeDeps(enqueue), personId, 'alice');
    await vi.waitFor(
      async () => expect(await app.db.select().from(agents).where(eq(agents.id, agent.id))).toEqual([]),
      { timeout: 30_000, interval: 100 },
    );
    expect(fake.container('ps-agent-alice')).toBeUndefined();
    expect(fake.volumes()).not.toContain('ps-agent-alice-data');
  });

  it('the approval mail follows the person’s mail preference: sent by default, skipped (and why) when off', async () => {
    const quiet = await pendingPerson(app.db, 'dora');
    await app.db
      .update(users)
      .set({ preferences: { emailNotifications: false } })
      .where(eq(users.id, quiet));
    const chatty = await pendingPerson(app.db, 'erin');
    await approvePeople(app.db, changeDeps(enqueue), [quiet, chatty]);
    const approvalMailsTo = (email: string) =>
      app.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.kind, 'approved'), eq(outbox.to, email)));
    for (const [personId, email, mailed] of [
      [quiet, 'dora@example.com', false],
      [chatty, 'erin@example.com', true],
    ] as const) {
      const agent = (await agentOf(app.db, personId))!;
      await waitForObserved(app.db, agent.id, 'running');
      await vi.waitFor(
        async () => expect((await latestRun(app.db, agent.id, 'provision'))?.status).toBe('succeeded'),
        { timeout: 30_000, interval: 100 },
      );
      const sendEmail = (await stepsOf(app.db, (await latestRun(app.db, agent.id, 'provision'))!.id)).at(-1)!;
      expect(sendEmail.name).toBe('send email');
      expect(sendEmail.status).toBe(mailed ? 'succeeded' : 'skipped');
      if (!mailed) expect(sendEmail.message).toBe('They turned mail notifications off');
      expect(await approvalMailsTo(email)).toHaveLength(mailed ? 1 : 0);
    }
  });

  it('heals a change that was committed but never enqueued, and provisioning twice makes one container', async () => {
    const personId = await pendingPerson(app.db, 'bob');
    // The commit happens; the enqueue is lost.
    const lost: JobEnqueuer = Object.assign(async () => {}, {
      workerUtils: enqueue.workerUtils,
      release: async () => {},
    });
    await approvePeople(app.db, changeDeps(lost), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    expect(agent).toMatchObject({ desiredState: 'running', observedState: 'absent' });
    const utils = await enqueue.workerUtils();
    const healed = await reconcileAgents({
      db: app.db,
      enqueue,
      jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
    });
    expect(healed.enqueued).toContain(agent.id);
    await waitForObserved(app.db, agent.id, 'running');

    // Running the provision job again (a retry after a crash, or a duplicate) changes nothing.
    await enqueue([
      { name: 'agent.provision', payload: { agentId: agent.id }, key: `agent:provision:${agent.id}` },
    ]);
    await vi.waitFor(
      async () =>
        expect((await runsOf(app.db, agent.id)).filter((r) => r.kind === 'provision')).toHaveLength(2),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
    await vi.waitFor(
      async () => expect((await latestRun(app.db, agent.id, 'provision'))?.status).toBe('succeeded'),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
    expect(fake.containers().filter((c) => c.Name === '/ps-agent-bob')).toHaveLength(1);
    expect(
      fake
        .calls()
        .filter((c) => c.argv.includes('ps-agent-bob') && (c.argv[0] === 'run' || c.argv[0] === 'create')),
    ).toHaveLength(1);
  });

  it('one poll per host stores samples and reports an agent that stopped behind our back, which then heals', async () => {
    const personId = await pendingPerson(app.db, 'carol');
    await approvePeople(app.db, changeDeps(enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'running');

    // History older than the retention (24 h by default) goes at the next poll, and so do samples of
    // agents that no longer exist.
    const dayAgo = new Date(Date.now() - 25 * 3_600_000);
    await app.db.insert(agentSamples).values([
      { agentId: agent.id, at: dayAgo, observedState: 'running' },
      { agentId: 'long-gone', at: new Date(), observedState: 'running' },
    ]);
    await app.db.insert(hostSamples).values({ hostId: 'any-host', at: dayAgo });
    fake.clearCalls();
    await poller.pollAll({ timeoutMs: 10_000 });
    const [host] = await app.db.select().from(hosts);
    expect(host?.lastError).toBeNull();
    expect(host?.lastSeenAt).toBeInstanceOf(Date);
    expect(host?.lastStats).toMatchObject({ agentsRunning: expect.any(Number) });
    expect(host!.lastStats!.memoryTotalBytes).toBeGreaterThan(0);
    const samples = await app.db.select().from(agentSamples).where(eq(agentSamples.agentId, agent.id));
    expect(samples).toHaveLength(1);
    expect(samples[0]!.at.getTime()).toBeGreaterThan(dayAgo.getTime());
    expect(await app.db.select().from(agentSamples).where(eq(agentSamples.agentId, 'long-gone'))).toEqual([]);
    expect(await app.db.select().from(hostSamples).where(eq(hostSamples.hostId, 'any-host'))).toEqual([]);
    expect(samples[0]).toMatchObject({ observedState: 'running' });
    // One status command for all agents: a single `docker ps` listing, not one per agent.
    expect(fake.calls().filter((c) => c.argv[0] === 'ps')).toHaveLength(1);

    // Someone stops the container on the host; the next poll notices, the reconciler brings it back.
    fakeDockerCli(fake, ['stop', 'ps-agent-carol']);
    await poller.pollAll({ timeoutMs: 10_000 });
    const [after] = await app.db.select().from(agents).where(eq(agents.id, agent.id));
    expect(after?.observedState).toBe('stopped');
    const utils = await enqueue.workerUtils();
    const healed = await reconcileAgents({
      db: app.db,
      enqueue,
      jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
    });
    expect(healed.enqueued).toContain(agent.id);
    await waitForObserved(app.db, agent.id, 'running');
    expect(fake.container('ps-agent-carol')?.State.Running).toBe(true);

    // Revoked, then started again by hand on the host: the poll says so and the reconciler stops it.
    const carol = await app.db.select().from(users).where(eq(users.username, 'carol'));
    await revokePerson(app.db, changeDeps(enqueue), carol[0]!.id, 'paused');
    await waitForObserved(app.db, agent.id, 'stopped');
    fakeDockerCli(fake, ['start', 'ps-agent-carol']);
    await poller.pollAll({ timeoutMs: 10_000 });
    expect((await app.db.select().from(agents).where(eq(agents.id, agent.id)))[0]?.observedState).toBe(
      'running',
    );
    const again = await reconcileAgents({
      db: app.db,
      enqueue,
      jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
    });
    expect(again.enqueued).toContain(agent.id);
    await waitForObserved(app.db, agent.id, 'stopped');
    expect(fake.container('ps-agent-carol')?.State.Running).toBe(false);
  });

  it('a username with shell metacharacters, written past validation, never reaches a shell unquoted', async () => {
    const evil = `x$(touch ${dir}/pwned);\`id\`'"`;
    await app.db.insert(users).values({ id: 'evil-person', email: 'evil@example.com', status: 'active' });
    await app.db
      .insert(agents)
      .values({ id: 'evil-agent', userId: 'evil-person', username: evil, desiredState: 'running' });
    fake.clearCalls();
    await enqueue([
      { name: 'agent.provision', payload: { agentId: 'evil-agent' }, key: 'agent:provision:evil-agent' },
    ]);
    await vi.waitFor(
      async () => expect((await latestRun(app.db, 'evil-agent', 'provision'))?.status).toBe('failed'),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
    const run = (await latestRun(app.db, 'evil-agent', 'provision'))!;
    expect(run.errorClass).toBe('script_failed');
    const steps = await stepsOf(app.db, run.id);
    const failed = steps.find((s) => s.status === 'failed');
    expect(failed?.name).toBe('run provision script');
    expect(failed?.outputTail).toContain('invalid_username');
    // The script refused it before docker was ever called, and nothing it contains was executed.
    expect(fake.calls()).toEqual([]);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
  });
});
