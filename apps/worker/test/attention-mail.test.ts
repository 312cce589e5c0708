import path from 'node:path';
// The admin's retry (packages/api's domain, not exported from its index).
import { requestRunRetry } from '@pocket-smyth/core';
import { agents, type Db, type DbHandle, hosts, outbox, users } from '@pocket-smyth/db';
import { freePort } from '@pocket-smyth/hosts/testing';
import { agentJobKey, agentQueueName, type JobEnqueuer } from '@pocket-smyth/jobs';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// An ssh key to point a host row at (packages/hosts' test support).
import { generateKeyPairFiles } from '../../../packages/hosts/src/testing/test-keys';
import { changeDeps, latestRun, stepsOf } from './support';
import { startTestWorker, type TestWorker } from './test-worker';

/**
 * "Email me when my agent … needs attention": a run that fails for good mails its owner and the admins,
 * once. Failures are real: the real host scripts refusing a username they cannot use (permanent), and an
 * ssh host whose port is closed (transient, retried with graphile's backoff).
 */
describe('mail when an agent needs attention', () => {
  let world: TestWorker;
  let dir: string;
  let app: DbHandle;
  let enqueue: JobEnqueuer;
  let localHostId: string;

  beforeAll(async () => {
    world = await startTestWorker('attention');
    ({ dir, app, enqueue } = world);
    const [local] = await app.db.select({ id: hosts.id }).from(hosts).where(eq(hosts.name, 'local'));
    localHostId = local!.id;
    await app.db
      .insert(users)
      .values({ email: 'root@example.com', username: 'root', role: 'admin', status: 'active' });
  });

  afterAll(() => world?.stop());

  /**
   * An approved person and their agent. Two-letter usernames pass the database but not the host
   * scripts (three characters at least), so every script call for them fails at once, permanently.
   */
  async function personWithAgent(
    db: Db,
    username: string,
    options: { emailNotifications?: boolean; desiredState?: 'running' | 'stopped'; hostId?: string } = {},
  ) {
    const [person] = await db
      .insert(users)
      .values({
        email: `${username}@example.com`,
        name: `${username.toUpperCase()} Person`,
        username,
        status: 'active',
        preferences:
          options.emailNotifications === undefined ? {} : { emailNotifications: options.emailNotifications },
      })
      .returning({ id: users.id });
    const agentId = `agent-${username}`;
    const desiredState = options.desiredState ?? 'running';
    // Observed as desired, so the reconciler's minute tick finds no drift and leaves the agent to the job
    // the test enqueues (which runs its change whatever the states say).
    await db.insert(agents).values({
      id: agentId,
      userId: person!.id,
      username,
      desiredState,
      observedState: desiredState,
      hostId: options.hostId ?? null,
    });
    return { personId: person!.id, agentId };
  }

  const ownerMails = (email: string) =>
    app.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, 'agent_attention'), eq(outbox.to, email)));
  const adminNotesAbout = (username: string) =>
    app.db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.kind, 'admin_agent_attention'),
          like(outbox.subject, `Agent needs attention: ${username} (%`),
        ),
      );
  const waitForRun = (agentId: string, expected: Record<string, unknown>) =>
    vi.waitFor(async () => expect(await latestRun(app.db, agentId)).toMatchObject(expected), {
      timeout: 30_000,
      interval: 100,
    });

  it('a provision that fails for good mails its owner once with the step and why, and tells the admins', async () => {
    const { personId, agentId } = await personWithAgent(app.db, 'jo');
    await enqueue([{ name: 'agent.provision', payload: { agentId }, key: agentJobKey(agentId) }]);
    await waitForRun(agentId, { kind: 'provision', status: 'failed', errorClass: 'script_failed' });

    const [mail, ...more] = await ownerMails('jo@example.com');
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('Your agent needs attention');
    expect(mail!.text).toContain('Hello JO Person,');
    expect(mail!.text).toContain('Setting up your agent failed');
    expect(mail!.text).toContain('Run: provision\nStep: run provision script\n');
    expect(mail!.text).toMatch(
      /What went wrong: The host script reported an error\. provision: username must match/,
    );
    expect(mail!.text).toContain('An admin has been told');
    expect(mail!.text).toContain('https://jo.example.test/');
    expect(mail!.html).toContain('href="https://jo.example.test/"');

    const notes = await adminNotesAbout('jo');
    expect(notes.map((n) => n.to)).toEqual(['root@example.com']);
    expect(notes[0]!.text).toContain(
      'Setting up the agent of JO Person <jo@example.com> (username jo) failed',
    );
    expect(notes[0]!.text).toContain('Step: run provision script');
    expect(notes[0]!.text).toContain(`https://login.example.test/admin/people/${personId}`);

    // The admin retries from the failed step; it fails again: a new failure, a new mail.
    const failed = (await latestRun(app.db, agentId))!;
    await requestRunRetry(app.db, changeDeps(enqueue), failed.id);
    await waitForRun(agentId, { id: failed.id, attempt: 2, status: 'failed' });
    expect(await ownerMails('jo@example.com')).toHaveLength(2);
    expect(await adminNotesAbout('jo')).toHaveLength(2);
  });

  it('nothing goes to an owner who turned mail notifications off; the admins still hear of it', async () => {
    const { agentId } = await personWithAgent(app.db, 'al', { emailNotifications: false });
    await enqueue([{ name: 'agent.provision', payload: { agentId }, key: agentJobKey(agentId) }]);
    await waitForRun(agentId, { kind: 'provision', status: 'failed' });
    // Recorded with the failure, in its transaction: there is nothing still to come.
    expect(await adminNotesAbout('al')).toHaveLength(1);
    expect(await ownerMails('al@example.com')).toEqual([]);
  });

  it('a failed stop tells the admins but not the owner', async () => {
    // Still active, so only the run's kind keeps the owner's mail out.
    const { agentId } = await personWithAgent(app.db, 'ed', { desiredState: 'stopped', hostId: localHostId });
    await enqueue([{ name: 'agent.stop', payload: { agentId }, key: agentJobKey(agentId) }]);
    await waitForRun(agentId, { kind: 'stop', status: 'failed' });
    const notes = await adminNotesAbout('ed');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toContain('Stopping the agent of');
    expect(notes[0]!.text).toContain('Step: stop agent');
    expect(await ownerMails('ed@example.com')).toEqual([]);
  });

  it('an attempt that will be retried mails nobody; the last one mails once', async () => {
    const keyFile = path.join(dir, 'client_key');
    generateKeyPairFiles(keyFile, 'attention-test');
    const [host] = await app.db
      .insert(hosts)
      .values({
        name: 'down',
        transport: 'ssh',
        address: '127.0.0.1',
        port: await freePort(),
        sshUser: 'agents',
        keyRef: `file:${keyFile}`,
        hostKeyFingerprint: `SHA256:${'A'.repeat(43)}`,
        status: 'draining',
      })
      .returning();
    const { agentId } = await personWithAgent(app.db, 'hugo', { hostId: host!.id });
    // Two attempts instead of the usual ten, so the retry budget runs out within the test.
    const utils = await enqueue.workerUtils();
    await utils.addJob(
      'agent.provision',
      { agentId },
      { jobKey: agentJobKey(agentId), queueName: agentQueueName(agentId), maxAttempts: 2 },
    );

    // The first attempt failed and the run waits for the second (graphile's backoff, about e¹ s).
    await waitForRun(agentId, { status: 'running', errorClass: 'host_unreachable' });
    expect((await latestRun(app.db, agentId))!.errorMessage).toContain('attempt 1 of 2; will retry');
    expect(await ownerMails('hugo@example.com')).toEqual([]);
    expect(await adminNotesAbout('hugo')).toEqual([]);

    await waitForRun(agentId, { status: 'failed', errorClass: 'host_unreachable' });
    const run = (await latestRun(app.db, agentId))!;
    const step = (await stepsOf(app.db, run.id)).find((s) => s.name === 'run provision script');
    expect(step).toMatchObject({ status: 'failed', attempts: 2 });
    const mails = await ownerMails('hugo@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Step: run provision script');
    expect(mails[0]!.text).toContain('What went wrong: The host could not be reached.');
    expect(await adminNotesAbout('hugo')).toHaveLength(1);
    // The job has no attempts left: nothing else will fail, or mail, for this run.
    const [job] = await utils.withPgClient(async (client) => {
      const { rows } = await client.query<{ attempts: number; max_attempts: number }>(
        'select attempts, max_attempts from graphile_worker.jobs where key = $1',
        [agentJobKey(agentId)],
      );
      return rows;
    });
    expect(job).toEqual({ attempts: 2, max_attempts: 2 });
  });
});
