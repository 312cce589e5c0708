import { agents, type Db, outbox, runs, users } from '@pocket-smyth/db';
import { and, eq } from 'drizzle-orm';
import type { Runner } from 'graphile-worker';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
// The portal's side: real changes through packages/core, which depends on this package's job contract,
// so this package cannot depend on it; the test reaches core's source directly (as run-retry does).
import { requestAgentRestart } from '../../core/src/agent-control';
import { rejectPeople } from '../../core/src/people-lifecycle';
import { type ChangeDeps, systemActor } from '../../core/src/ports';
// A real mailer against packages/email's fake Resend API.
import { createMailer } from '../../email/src/mailer';
import { type FakeResendServer, startFakeResendServer } from '../../email/test/fake-resend-server';
import {
  type AgentHosts,
  allJobs,
  createEnqueue,
  type HostTransport,
  type JobDeps,
  type JobEnqueuer,
  jobRequest,
  jobsInFlight,
  lostEnqueueGraceMs,
  reconcileAllSpec,
  silentLogger,
  startJobWorker,
} from '../src';
import { createTestDb, createTestQueue, nextJobEnd, type TestDb, type TestQueue } from './helpers';

/** The queue was down when the change committed: every enqueue fails. */
const lostEnqueue = async () => {
  throw new Error('queue database is down');
};

/** Past the grace period: the enqueue that should have followed is lost for good. */
const pastGrace = () => new Date(Date.now() - lostEnqueueGraceMs - 60_000);

/** `promise`, or a failure naming `what` after 10 s (a job that never comes would wait out the test). */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within 10 s`)), 10_000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The reconciler (`reconcile.all`, as the crontab runs it, on a real worker) heals what a lost enqueue
 * left behind besides drifted agents: mail written with a committed change, and restarts that were
 * asked for.
 */
describe('reconcile.all heals lost enqueues', () => {
  let queue: TestQueue;
  let testDb: TestDb;
  let db: Db;
  let enqueue: JobEnqueuer;
  let resend: FakeResendServer;
  let runner: Runner;
  const restartCalls: string[][] = [];
  const succeeded: string[] = [];

  /** A host whose scripts all succeed, recording what they were asked. */
  const transport: HostTransport = {
    async exec(script, args) {
      restartCalls.push([script, ...args]);
      return { stdout: '{"ok":true}', stderr: '', code: 0 };
    },
    stream: () => Promise.reject(new Error('no data script in this test')),
  };
  const hosts: AgentHosts = {
    place: async () => 'host-1',
    hostsFor: async () => transport,
    provisionArgs: () => [],
    defaultLimits: { cpus: 1, memoryMb: 2048 },
    pollAll: async () => {},
  };

  beforeAll(async () => {
    [queue, testDb, resend] = await Promise.all([createTestQueue(), createTestDb(), startFakeResendServer()]);
    db = testDb.db;
    enqueue = createEnqueue(queue.url, { jobs: allJobs });
    const utils = await enqueue.workerUtils();
    const deps: JobDeps = {
      db,
      hosts,
      idp: null,
      mail: createMailer({
        db,
        resendApiKey: 're_test_key',
        from: 'Pocket Smyth <noreply@example.test>',
        resendBaseUrl: resend.url,
      }),
      agentUrl: (username) => `https://${username}.example.test/agent`,
      dashboardUrl: (username) => `https://${username}.example.test/`,
      portalUrl: 'https://login.example.test',
      enqueue,
      jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
    };
    runner = await startJobWorker({
      connectionString: queue.url,
      jobs: allJobs,
      deps,
      logger: silentLogger,
      pollInterval: 200,
    });
    runner.events.on('job:success', ({ job }) => {
      succeeded.push(job.task_identifier);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await runner?.stop();
    await enqueue?.release();
    await queue?.cleanup();
    await resend?.close();
    testDb?.cleanup();
  });

  /** What the crontab does every minute: one `reconcile.all` job, run by the worker. */
  async function reconcileOnce(): Promise<void> {
    const ended = nextJobEnd(runner, 'reconcile.all');
    await enqueue([jobRequest(reconcileAllSpec, {})]);
    const { error } = await ended;
    expect(error).toBeFalsy();
  }

  /** The portal's change dependencies with the real mailer and a queue that is down. */
  function changeDepsWithLostQueue(): ChangeDeps {
    return {
      actor: systemActor,
      requestId: 'test',
      ip: null,
      enqueue: lostEnqueue,
      mailer: createMailer({
        db,
        resendApiKey: 're_test_key',
        from: 'Pocket Smyth <noreply@example.test>',
        resendBaseUrl: resend.url,
      }),
    };
  }

  async function pendingPerson(username: string): Promise<string> {
    const [row] = await db
      .insert(users)
      .values({ email: `${username}@example.com`, username, status: 'pending', requestedAt: new Date() })
      .returning({ id: users.id });
    return row!.id;
  }

  const mailTo = async (to: string) => {
    const [row] = await db.select().from(outbox).where(eq(outbox.to, to));
    return row!;
  };

  it('a lost mail enqueue is healed: the mail goes out once, after the grace period; young and sent rows are left alone', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lost = await pendingPerson('lost');
    const young = await pendingPerson('young');
    await rejectPeople(db, changeDepsWithLostQueue(), [lost, young], 'We are full.');
    const lostMail = await mailTo('lost@example.com');
    const youngMail = await mailTo('young@example.com');
    expect([lostMail.status, youngMail.status]).toEqual(['queued', 'queued']);
    expect(await queue.jobs()).toEqual([]);

    // A mail sent long ago, and the rejection of `lost` written three minutes ago.
    const [sent] = await db
      .insert(outbox)
      .values({
        kind: 'rejected',
        to: 'earlier@example.com',
        subject: 'x',
        text: 'x',
        status: 'sent',
        providerId: 're_earlier',
        createdAt: pastGrace(),
        sentAt: pastGrace(),
      })
      .returning({ id: outbox.id });
    await db.update(outbox).set({ createdAt: pastGrace() }).where(eq(outbox.id, lostMail.id));

    resend.reply({ status: 200, json: { id: 're_lost' } });
    const delivered = nextJobEnd(runner, 'mail.send');
    await reconcileOnce();
    const { job, error } = await within(delivered, 'a mail.send job');
    expect(error).toBeFalsy();
    expect(job.key).toBe(`mail:${lostMail.id}`);
    expect(resend.received).toHaveLength(1);
    expect(resend.received[0]?.body).toMatchObject({ to: ['lost@example.com'], subject: lostMail.subject });
    expect(resend.received[0]?.headers['idempotency-key']).toBe(lostMail.id);
    expect(await mailTo('lost@example.com')).toMatchObject({ status: 'sent', providerId: 're_lost' });

    // The next minutes: the sent rows stay sent, the young row waits out its grace period.
    await reconcileOnce();
    await reconcileOnce();
    expect(resend.received).toHaveLength(1);
    expect(succeeded.filter((task) => task === 'mail.send')).toHaveLength(1);
    expect(await mailTo('young@example.com')).toMatchObject({ status: 'queued', sentAt: null });
    const [earlier] = await db.select().from(outbox).where(eq(outbox.id, sent!.id));
    expect(earlier).toMatchObject({ status: 'sent', providerId: 're_earlier' });
    expect((await queue.jobs()).filter((j) => j.task_identifier === 'mail.send')).toEqual([]);
  });

  it('a lost restart is healed: the restart runs once, after the grace period', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const [person] = await db
      .insert(users)
      .values({ email: 'rita@example.com', username: 'rita', status: 'active' })
      .returning({ id: users.id });
    await db.insert(agents).values({
      id: 'agent-rita',
      userId: person!.id,
      username: 'rita',
      desiredState: 'running',
      observedState: 'running',
      hostId: 'host-1',
    });
    await requestAgentRestart(db, { ...changeDepsWithLostQueue(), mailer: null }, person!.id);
    const [requested] = await db.select().from(agents).where(eq(agents.id, 'agent-rita'));
    expect(requested?.restartRequestedAt).toBeInstanceOf(Date);

    // Within the grace period the enqueue may still be on its way: nothing happens.
    await reconcileOnce();
    expect(await db.select().from(runs).where(eq(runs.agentId, 'agent-rita'))).toEqual([]);

    await db.update(agents).set({ restartRequestedAt: pastGrace() }).where(eq(agents.id, 'agent-rita'));
    const restarted = nextJobEnd(runner, 'agent.restart');
    await reconcileOnce();
    const { job, error } = await within(restarted, 'an agent.restart job');
    expect(error).toBeFalsy();
    expect(job.key).toBe('agent:provision:agent-rita');
    const [run] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.agentId, 'agent-rita'), eq(runs.kind, 'restart')));
    expect(run).toMatchObject({ status: 'succeeded', requestedByKind: 'system' });
    const [after] = await db.select().from(agents).where(eq(agents.id, 'agent-rita'));
    expect(after).toMatchObject({ observedState: 'running', restartRequestedAt: null });

    // Taken up: later minutes do not restart it again.
    await reconcileOnce();
    expect(await db.select().from(runs).where(eq(runs.agentId, 'agent-rita'))).toHaveLength(1);
    expect(restartCalls).toEqual([['restart', 'rita']]);
  });
});
