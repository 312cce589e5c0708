import { agents, auditEvents, runSteps, runs } from '@pocket-smyth/db';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// The portal's side of a retry. packages/core depends on this package's job contract, so this package
// cannot depend on core; the test reaches core's source directly instead.
import { requestRunRetry } from '../../core/src/runs';
import {
  type AgentHosts,
  allJobs,
  createEnqueue,
  type JobDeps,
  type JobEnqueuer,
  jobsInFlight,
  RunRecorder,
  silentLogger,
  startJobWorker,
} from '../src';
import { createTestDb, createTestQueue, type TestDb, type TestQueue } from './helpers';

/** This scenario never reaches a host or a mailbox; any call would be a bug, so it fails loudly. */
const unreachable = (what: string) => () => {
  throw new Error(`${what} must not be called in this test`);
};
const noHosts: AgentHosts = {
  place: unreachable('place'),
  hostsFor: unreachable('hostsFor'),
  provisionArgs: unreachable('provisionArgs'),
  defaultLimits: { cpus: 1, memoryMb: 2048 },
  pollAll: unreachable('pollAll'),
};

describe('retrying a failed run from its failed step', () => {
  let queue: TestQueue;
  let testDb: TestDb;
  let enqueue: JobEnqueuer;
  const admin = { kind: 'person' as const, id: 'admin-1', label: 'admin@example.com', personId: 'admin-1' };
  const changeDeps = () => ({ actor: admin, requestId: 'req-1', ip: null, enqueue });

  beforeAll(async () => {
    [queue, testDb] = await Promise.all([createTestQueue(), createTestDb()]);
    enqueue = createEnqueue(queue.url, { jobs: allJobs });
  });
  afterAll(async () => {
    await enqueue?.release();
    await queue?.cleanup();
    testDb?.cleanup();
  });

  it('refuses runs that did not fail, and older failures', async () => {
    const db = testDb.db;
    await db
      .insert(agents)
      .values({ id: 'agent-old', username: 'old', desiredState: 'running', observedState: 'running' });
    const older = await RunRecorder.create(db, {
      agentId: 'agent-old',
      username: 'old',
      kind: 'provision',
      steps: ['a'],
    });
    await older.fail(new Error('boom'));
    const newer = await RunRecorder.create(db, {
      agentId: 'agent-old',
      username: 'old',
      kind: 'restart',
      steps: ['a'],
    });
    await expect(requestRunRetry(db, changeDeps(), older.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(requestRunRetry(db, changeDeps(), newer.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(requestRunRetry(db, changeDeps(), 'no-such-run')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await queue.jobs()).toEqual([]);
  });

  it('enqueues the retry and the worker continues the same run from the failed step', async () => {
    const db = testDb.db;
    // A deleted person's agent that was never placed: its deprovision needs no host.
    await db
      .insert(agents)
      .values({ id: 'agent-1', username: 'ada', desiredState: 'absent', observedState: 'failed' });
    const run = await RunRecorder.create(db, {
      agentId: 'agent-1',
      username: 'ada',
      kind: 'deprovision',
      steps: ['remove agent', 'update identity provider'],
    });
    await run.start();
    await run.step('remove agent', async (step) => step.output('removed'));
    const rejected = Object.assign(new Error('Graph said 400'), {
      errorClass: 'idp_rejected',
      transient: false,
    });
    await run
      .step('update identity provider', async () => {
        throw rejected;
      })
      .catch(() => {});
    await run.fail(rejected);
    const [removedBefore] = await db
      .select()
      .from(runSteps)
      .where(eq(runSteps.runId, run.id))
      .orderBy(asc(runSteps.position));

    await requestRunRetry(db, changeDeps(), run.id);
    const [job] = await queue.jobs();
    expect(job).toMatchObject({ task_identifier: 'agent.reconcile', key: 'agent:provision:agent-1' });
    expect(job?.payload).toMatchObject({
      agentId: 'agent-1',
      retryRunId: run.id,
      requestedBy: { label: 'admin@example.com' },
    });
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'run.retry_requested'));
    expect(audit).toMatchObject({ targetKind: 'run', targetId: run.id, actorLabel: 'admin@example.com' });

    const deps: JobDeps = {
      db,
      hosts: noHosts,
      idp: null, // now unconfigured: the step that failed is skipped this time
      mail: { record: unreachable('mail.record'), deliver: unreachable('mail.deliver') },
      agentUrl: (username) => `http://localhost:3000/agent?u=${username}`,
      dashboardUrl: () => 'http://localhost:3000/',
      portalUrl: 'http://localhost:3000',
      enqueue,
      jobsInFlight: (keys) => jobsInFlight(queue.utils.withPgClient, keys),
    };
    const runner = await startJobWorker({
      connectionString: queue.url,
      jobs: allJobs,
      deps,
      logger: silentLogger,
    });
    try {
      await vi.waitFor(async () => expect(await queue.jobs()).toEqual([]), { timeout: 10_000, interval: 50 });
    } finally {
      await runner.stop();
    }

    const [after] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(after).toMatchObject({
      status: 'succeeded',
      attempt: 2,
      requestedByLabel: 'admin@example.com',
      errorClass: null,
    });
    const steps = await db
      .select()
      .from(runSteps)
      .where(eq(runSteps.runId, run.id))
      .orderBy(asc(runSteps.position));
    expect(steps[0]).toEqual(removedBefore);
    expect(steps[1]).toMatchObject({
      status: 'skipped',
      attempts: 2,
      message: 'Identity provider not configured',
    });
    expect(await db.select().from(runs).where(eq(runs.agentId, 'agent-1'))).toHaveLength(1);
    // A finished deprovision removes the agent row.
    expect(await db.select().from(agents).where(eq(agents.id, 'agent-1'))).toEqual([]);
  });
});
