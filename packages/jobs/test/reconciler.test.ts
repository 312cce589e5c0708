import { type AgentDesiredState, type AgentObservedState, agents, outbox } from '@pocket-smyth/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentJobKey,
  allJobs,
  createEnqueue,
  type JobEnqueuer,
  jobsInFlight,
  lostEnqueueGraceMs,
  RunRecorder,
  reconcileAgents,
  reconcileOutbox,
  sendMail,
} from '../src';
import { createTestDb, createTestQueue, type TestDb, type TestQueue } from './helpers';

describe('reconcileAgents', () => {
  let queue: TestQueue;
  let enqueue: JobEnqueuer;
  let testDb: TestDb;

  async function agent(id: string, desiredState: AgentDesiredState, observedState: AgentObservedState) {
    await testDb.db.insert(agents).values({
      id,
      username: id,
      desiredState,
      observedState,
      desiredAt: new Date(Date.now() - 60_000),
    });
  }

  beforeAll(async () => {
    [queue, testDb] = await Promise.all([createTestQueue(), createTestDb()]);
    enqueue = createEnqueue(queue.url, { jobs: allJobs });

    await agent('a-new', 'running', 'absent'); // drifted, nothing in flight
    await agent('b-fine', 'running', 'running'); // in step
    await agent('c-busy', 'stopped', 'running'); // drifted, but its job is queued
    await agent('d-deleted', 'absent', 'stopped'); // drifted
    await agent('e-failed', 'running', 'failed'); // drifted, but its last run failed: waits for an admin
    await agent('f-never', 'stopped', 'absent'); // in step: nothing to stop
    await agent('g-lost', 'running', 'provisioning'); // drifted; its job failed for good long ago
    await agent('h-revoked', 'stopped', 'stopped'); // in step

    await enqueue([{ name: 'agent.stop', payload: { agentId: 'c-busy' }, key: agentJobKey('c-busy') }]);
    const failed = await RunRecorder.create(testDb.db, {
      agentId: 'e-failed',
      username: 'e-failed',
      kind: 'provision',
      steps: ['run provision script'],
    });
    await failed.fail(Object.assign(new Error('exit 1'), { errorClass: 'script_failed' }));
    const [lost] = await queue.utils.withPgClient(
      async (client) =>
        (
          await client.query<{ id: string }>(
            'select id from graphile_worker.add_job(\'agent.reconcile\', \'{"agentId":"g-lost"}\', job_key := $1, max_attempts := 1)',
            [agentJobKey('g-lost')],
          )
        ).rows,
    );
    await queue.utils.permanentlyFailJobs([lost!.id], 'gave up');
  });
  afterAll(async () => {
    await enqueue?.release();
    await queue?.cleanup();
    testDb?.cleanup();
  });

  it('enqueues exactly the drifted agents that have no job in flight', async () => {
    const deps = {
      db: testDb.db,
      enqueue,
      jobsInFlight: (keys: readonly string[]) => jobsInFlight(queue.utils.withPgClient, keys),
    };
    const result = await reconcileAgents(deps);
    expect(result.enqueued.sort()).toEqual(['a-new', 'd-deleted', 'g-lost']);
    expect(result.drifted).toBe(4);

    const live = (await queue.jobs()).filter((j) => j.attempts < j.max_attempts);
    expect(live.map((j) => j.key).sort()).toEqual(
      ['a-new', 'c-busy', 'd-deleted', 'g-lost'].map(agentJobKey).sort(),
    );
    expect(live.find((j) => j.key === agentJobKey('c-busy'))?.task_identifier).toBe('agent.stop');
    expect(live.find((j) => j.key === agentJobKey('a-new'))?.task_identifier).toBe('agent.reconcile');

    // Run again: everything drifted now has a job in flight.
    expect((await reconcileAgents(deps)).enqueued).toEqual([]);
  });

  it('acts again on a failed agent once its intent changes after the failure', async () => {
    const { eq } = await import('drizzle-orm');
    await testDb.db
      .update(agents)
      .set({ desiredAt: new Date(Date.now() + 1_000) })
      .where(eq(agents.id, 'e-failed'));
    const result = await reconcileAgents({
      db: testDb.db,
      enqueue,
      jobsInFlight: (keys) => jobsInFlight(queue.utils.withPgClient, keys),
    });
    expect(result.enqueued).toEqual(['e-failed']);
  });
});

describe('reconcileOutbox', () => {
  let queue: TestQueue;
  let enqueue: JobEnqueuer;
  let testDb: TestDb;

  beforeAll(async () => {
    [queue, testDb] = await Promise.all([createTestQueue(), createTestDb()]);
    enqueue = createEnqueue(queue.url, { jobs: allJobs });
  });
  afterAll(async () => {
    await enqueue?.release();
    await queue?.cleanup();
    testDb?.cleanup();
  });

  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const pastGrace = ago(lostEnqueueGraceMs + 60_000);

  async function mail(id: string, values: Partial<typeof outbox.$inferInsert> = {}) {
    await testDb.db.insert(outbox).values({
      id,
      kind: 'rejected',
      to: `${id}@example.com`,
      subject: 'x',
      text: 'x',
      status: 'queued',
      createdAt: pastGrace,
      ...values,
    });
  }

  it('enqueues mail.send once for each row never attempted, past the grace period, with none in flight', async () => {
    await mail('lost');
    await mail('young', { createdAt: ago(30_000) }); // its enqueue may still be on its way
    await mail('attempted', { error: 'Resend answered 503' }); // its job ran: not a lost enqueue
    await mail('failed', { status: 'failed', error: 'Resend answered 422' });
    await mail('sent', { status: 'sent', sentAt: pastGrace });
    await mail('local', { status: 'local' }); // no provider: nothing to send
    await mail('sign-in', { kind: 'magic_link' }); // sent in the sign-in request, never by a job
    await mail('ancient', { createdAt: ago(3 * 24 * 3_600_000) }); // past the heal window
    await mail('busy');
    await enqueue([sendMail('busy')]);

    const deps = {
      db: testDb.db,
      enqueue,
      jobsInFlight: (keys: readonly string[]) => jobsInFlight(queue.utils.withPgClient, keys),
    };
    expect(await reconcileOutbox(deps, { now })).toEqual(['lost']);
    const live = (await queue.jobs()).filter((j) => j.task_identifier === 'mail.send');
    expect(live.map((j) => j.key).sort()).toEqual(['mail:busy', 'mail:lost']);
    expect(live.find((j) => j.key === 'mail:lost')).toMatchObject({
      payload: { outboxId: 'lost' },
      max_attempts: 8,
    });
    // The next minute: its job is in flight now.
    expect(await reconcileOutbox(deps, { now })).toEqual([]);
  });

  it('pages through many rows written in the same millisecond, enqueuing each once', async () => {
    const at = ago(lostEnqueueGraceMs + 120_000);
    const ids = Array.from({ length: 1_010 }, (_, i) => `many-${String(i).padStart(4, '0')}`);
    await testDb.db.insert(outbox).values(
      ids.map((id) => ({
        id,
        kind: 'rejected',
        to: `${id}@example.com`,
        subject: 'x',
        text: 'x',
        status: 'queued' as const,
        createdAt: at,
      })),
    );
    const deps = {
      db: testDb.db,
      enqueue,
      jobsInFlight: (keys: readonly string[]) => jobsInFlight(queue.utils.withPgClient, keys),
    };
    const enqueued = await reconcileOutbox(deps, { now });
    expect(enqueued.filter((id) => id.startsWith('many-'))).toEqual(ids);
  });
});
