import { type AgentDesiredState, type AgentObservedState, agents } from '@pocket-smyth/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentJobKey,
  allJobs,
  createEnqueue,
  type JobEnqueuer,
  jobsInFlight,
  RunRecorder,
  reconcileAgents,
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
