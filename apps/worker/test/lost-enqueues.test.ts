import {
  approvePeople,
  type ChangeDeps,
  rejectPeople,
  requestAgentRestart,
  setAgentEnv,
} from '@pocket-smyth/core';
import { agents, type DbHandle, outbox } from '@pocket-smyth/db';
import { createMailer } from '@pocket-smyth/email';
import type { FakeDocker } from '@pocket-smyth/hosts/testing';
import {
  agentJobKey,
  type JobEnqueuer,
  jobsInFlight,
  lostEnqueueGraceMs,
  reconcileAll,
} from '@pocket-smyth/jobs';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
// packages/email's fake Resend API on loopback (its test support).
import {
  type FakeResendServer,
  startFakeResendServer,
} from '../../../packages/email/test/fake-resend-server';
import { agentOf, changeDeps, latestRun, pendingPerson, runsOf, waitForObserved } from './support';
import { startTestWorker, type TestWorker } from './test-worker';

const mailFrom = 'Pocket Smyth <noreply@example.test>';

/** The worker's and the portal's AGENT_SECRETS_KEY (32 bytes, hex). */
const secretsKey = 'c3'.repeat(32);
/** Past the grace period: the enqueue that should have followed the commit is lost for good. */
const pastGrace = () => new Date(Date.now() - lostEnqueueGraceMs - 60_000);

/**
 * "Commit, then enqueue" with the queue down at the wrong moment: the change commits, its job never
 * arrives. The reconciler (what `reconcile.all` runs every minute) sends it once the grace period has
 * passed, and the real worker does the rest: Resend gets the mail once, the host restarts the agent once.
 */
describe('the reconciler heals lost enqueues', () => {
  let world: TestWorker;
  let app: DbHandle;
  let enqueue: JobEnqueuer;
  let fake: FakeDocker;
  let resend: FakeResendServer;

  beforeAll(async () => {
    resend = await startFakeResendServer();
    world = await startTestWorker('lost-enqueues', {
      RESEND_API_KEY: 're_test_key',
      MAIL_FROM: mailFrom,
      RESEND_BASE_URL: resend.url,
      AGENT_SECRETS_KEY: secretsKey,
    });
    ({ app, enqueue, fake } = world);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await world?.stop();
    await resend?.close();
  });

  async function noJobInFlight(agentId: string) {
    const utils = await enqueue.workerUtils();
    await vi.waitFor(
      async () => expect((await jobsInFlight(utils.withPgClient, [agentJobKey(agentId)])).size).toBe(0),
      { timeout: 30_000, interval: 100 },
    );
  }

  /** A person approved with their agent running and its provision job done. */
  async function runningAgentOf(username: string) {
    const personId = await pendingPerson(app.db, username);
    resend.reply({ status: 200, json: { id: `re_${username}_approved` } }); // the provision run's approval mail
    await approvePeople(app.db, changeDeps(enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'running');
    // The agent is running before its provision job has finished (the approval mail comes last); a job
    // still in flight for the agent makes the reconciler wait, so let it finish first.
    await noJobInFlight(agent.id);
    return { personId, agent };
  }

  /** The portal's dependencies with the queue down: the change commits, every enqueue fails. */
  function queueDown(): ChangeDeps {
    return {
      ...changeDeps(enqueue),
      enqueue: async () => {
        throw new Error('queue database is down');
      },
      mailer: createMailer({
        db: app.db,
        resendApiKey: 're_test_key',
        from: mailFrom,
        resendBaseUrl: resend.url,
      }),
    };
  }

  async function reconcile() {
    const utils = await enqueue.workerUtils();
    return reconcileAll({
      db: app.db,
      enqueue,
      jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
    });
  }

  it('a lost mail enqueue: the rejection mail goes out once, after the grace period', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const personId = await pendingPerson(app.db, 'lena');
    await rejectPeople(app.db, queueDown(), [personId], 'We are full.');
    const [mail] = await app.db.select().from(outbox).where(eq(outbox.to, 'lena@example.com'));
    expect(mail).toMatchObject({ kind: 'rejected', status: 'queued' });

    // Within the grace period its enqueue may still be on its way: left alone.
    expect((await reconcile()).mail).toEqual([]);

    await app.db.update(outbox).set({ createdAt: pastGrace() }).where(eq(outbox.id, mail!.id));
    resend.reply({ status: 200, json: { id: 're_lena' } });
    expect((await reconcile()).mail).toEqual([mail!.id]);
    await vi.waitFor(
      async () => {
        const [row] = await app.db.select().from(outbox).where(eq(outbox.id, mail!.id));
        expect(row).toMatchObject({ status: 'sent', providerId: 're_lena' });
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(resend.received).toHaveLength(1);
    expect(resend.received[0]?.body).toMatchObject({ to: ['lena@example.com'], subject: mail!.subject });

    // Sent: the next minutes leave it alone.
    expect((await reconcile()).mail).toEqual([]);
    expect(resend.received).toHaveLength(1);
  });

  it('a lost restart: the agent restarts once, after the grace period', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { personId, agent } = await runningAgentOf('rosa');
    const restarts = () =>
      fake.calls().filter((c) => c.argv[0] === 'restart' && c.argv.includes('ps-agent-rosa'));
    expect(restarts()).toEqual([]);

    await requestAgentRestart(app.db, queueDown(), personId);
    expect((await agentOf(app.db, personId))?.restartRequestedAt).toBeInstanceOf(Date);
    expect((await reconcile()).restarts).toEqual([]);

    await app.db.update(agents).set({ restartRequestedAt: pastGrace() }).where(eq(agents.id, agent.id));
    expect((await reconcile()).restarts).toEqual([agent.id]);
    await vi.waitFor(
      async () => expect((await latestRun(app.db, agent.id, 'restart'))?.status).toBe('succeeded'),
      { timeout: 30_000, interval: 100 },
    );
    await waitForObserved(app.db, agent.id, 'running');
    expect(restarts()).toHaveLength(1);
    expect((await agentOf(app.db, personId))?.restartRequestedAt).toBeNull();

    // Taken up: later minutes do not restart it again.
    expect((await reconcile()).restarts).toEqual([]);
    expect(restarts()).toHaveLength(1);
  });

  it('a lost provision for a changed environment variable: provisioned once after the grace period, with it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { personId, agent } = await runningAgentOf('envo');
    const runsBefore = (await runsOf(app.db, agent.id)).length;

    const change = await setAgentEnv(
      app.db,
      queueDown(),
      { personId, own: true },
      { name: 'OPENAI_API_KEY', value: 'sk-lost-enqueue-1234' },
      secretsKey,
    );
    expect(change.restarting).toBe(true);
    expect((await agentOf(app.db, personId))?.envChangedAt).toBeInstanceOf(Date);
    expect((await reconcile()).envChanges).toEqual([]);

    await app.db.update(agents).set({ envChangedAt: pastGrace() }).where(eq(agents.id, agent.id));
    expect((await reconcile()).envChanges).toEqual([agent.id]);
    await vi.waitFor(async () => expect((await runsOf(app.db, agent.id)).length).toBe(runsBefore + 1), {
      timeout: 30_000,
      interval: 100,
    });
    await vi.waitFor(
      async () => expect((await latestRun(app.db, agent.id, 'provision'))?.status).toBe('succeeded'),
      { timeout: 30_000, interval: 100 },
    );
    expect(fake.container('ps-agent-envo')?.Config.Env).toContain('OPENAI_API_KEY=sk-lost-enqueue-1234');
    expect((await agentOf(app.db, personId))?.envChangedAt).toBeNull();

    // Taken up: later minutes leave it alone.
    await noJobInFlight(agent.id);
    expect((await reconcile()).envChanges).toEqual([]);
  });
});
