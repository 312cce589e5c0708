import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentJobKey, allJobs, createEnqueue, type JobEnqueuer, jobRequest } from '../src';
import { agentReconcile } from '../src/jobs/agent-reconcile';
import { createTestQueue, type TestQueue } from './helpers';

describe('createEnqueue', () => {
  let queue: TestQueue;
  let enqueue: JobEnqueuer;

  beforeAll(async () => {
    queue = await createTestQueue();
    enqueue = createEnqueue(queue.url, { jobs: allJobs });
  });
  afterAll(async () => {
    await enqueue?.release();
    await queue?.cleanup();
  });

  it('keeps one job for one key when the same key is enqueued twice', async () => {
    const request = jobRequest(agentReconcile, { agentId: 'agent-1' });
    expect(request.key).toBe('agent:provision:agent-1');
    await enqueue([request]);
    await enqueue([request]);
    const rows = (await queue.jobs()).filter((j) => j.key === agentJobKey('agent-1'));
    expect(rows).toHaveLength(1);
    // The second request replaced the first (same row, next revision) rather than adding one.
    expect(rows[0]).toMatchObject({
      task_identifier: 'agent.reconcile',
      revision: 1,
      attempts: 0,
      max_attempts: 10,
    });
    expect(rows[0]?.queue_name).toBe('agent:agent-1');
  });

  it('collapses one key repeated inside a batch to the last request', async () => {
    await enqueue([
      { name: 'agent.reconcile', payload: { agentId: 'agent-2' }, key: agentJobKey('agent-2') },
      { name: 'agent.stop', payload: { agentId: 'agent-2' }, key: agentJobKey('agent-2') },
      { name: 'agent.reconcile', payload: { agentId: 'agent-3' }, key: agentJobKey('agent-3') },
    ]);
    const rows = await queue.jobs();
    expect(rows.filter((j) => j.key === agentJobKey('agent-2')).map((j) => j.task_identifier)).toEqual([
      'agent.stop',
    ]);
    expect(rows.filter((j) => j.key === agentJobKey('agent-3'))).toHaveLength(1);
  });

  it("accepts the contract's reconcileAgent request as is, and refuses a key that does not match the job's", async () => {
    const { reconcileAgent } = await import('../src/contract');
    await enqueue([reconcileAgent('agent-4')]);
    expect((await queue.jobs()).filter((j) => j.key === agentJobKey('agent-4'))).toHaveLength(1);
    await expect(
      enqueue([
        { name: 'agent.reconcile', payload: { agentId: 'agent-5' }, key: 'agent:provision:someone-else' },
      ]),
    ).rejects.toThrow(/does not match/);
  });
});
