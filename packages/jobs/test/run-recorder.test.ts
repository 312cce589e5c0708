import { outbox, runSteps, runs } from '@pocket-smyth/db';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToTail, outputTailLines, RunRecorder } from '../src';
import { createTestDb, type TestDb } from './helpers';

class HostUnreachable extends Error {
  readonly errorClass = 'host_unreachable';
  readonly transient = true;
}

describe('RunRecorder', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb?.cleanup());

  const stepsOf = (runId: string) =>
    testDb.db.select().from(runSteps).where(eq(runSteps.runId, runId)).orderBy(asc(runSteps.position));
  const runOf = async (runId: string) => (await testDb.db.select().from(runs).where(eq(runs.id, runId)))[0]!;

  it('records ordered steps with status, times, output tail and the failing step’s class', async () => {
    const run = await RunRecorder.create(testDb.db, {
      agentId: 'agent-1',
      username: 'ada',
      kind: 'provision',
      steps: ['place on host', 'run provision script', 'update identity provider', 'send email'],
      requestedBy: { kind: 'person', id: 'admin-1', label: 'admin@example.com' },
    });
    expect((await runOf(run.id)).status).toBe('queued');
    expect((await stepsOf(run.id)).map((s) => [s.position, s.name, s.status])).toEqual([
      [0, 'place on host', 'queued'],
      [1, 'run provision script', 'queued'],
      [2, 'update identity provider', 'queued'],
      [3, 'send email', 'queued'],
    ]);

    await run.start({ jobId: '17' });
    await run.step('place on host', async (step) => step.output('placed on host h1'));
    await run.step('update identity provider', async (step) => step.skip('Identity provider not configured'));
    const failure = new HostUnreachable('connect ECONNREFUSED 10.0.0.9:22');
    await expect(
      run.step('run provision script', async (step) => {
        for (let i = 1; i <= 100; i++) step.output(`line ${i}`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await run.fail(failure);

    const [placed, script, idp, mail] = await stepsOf(run.id);
    expect(placed).toMatchObject({
      status: 'succeeded',
      outputTail: 'placed on host h1',
      attempts: 1,
      errorClass: null,
    });
    expect(placed!.startedAt!.getTime()).toBeLessThanOrEqual(placed!.endedAt!.getTime());
    expect(script).toMatchObject({
      status: 'failed',
      errorClass: 'host_unreachable',
      message: 'connect ECONNREFUSED 10.0.0.9:22',
    });
    // Only the last lines are kept.
    const lines = script!.outputTail.split('\n');
    expect(lines).toHaveLength(outputTailLines);
    expect(lines.at(0)).toBe(`line ${100 - outputTailLines + 1}`);
    expect(lines.at(-1)).toBe('line 100');
    expect(idp).toMatchObject({ status: 'skipped', message: 'Identity provider not configured' });
    expect(mail).toMatchObject({ status: 'queued', startedAt: null });

    const failedRun = await runOf(run.id);
    expect(failedRun).toMatchObject({
      status: 'failed',
      attempt: 1,
      jobId: '17',
      errorClass: 'host_unreachable',
      requestedByLabel: 'admin@example.com',
    });
    expect(failedRun.endedAt).not.toBeNull();
  });

  it('retries from the failed step, leaving the steps before it as they were', async () => {
    const run = await RunRecorder.create(testDb.db, {
      agentId: 'agent-2',
      username: 'bob',
      kind: 'provision',
      steps: ['place on host', 'run provision script', 'send email'],
    });
    await run.start();
    const ran: string[] = [];
    await run.step('place on host', async () => {
      ran.push('place');
    });
    await expect(
      run.step('run provision script', async () => {
        ran.push('script');
        throw Object.assign(new Error('exit 3'), { errorClass: 'script_failed', transient: false });
      }),
    ).rejects.toThrow('exit 3');
    await run.fail(new Error('exit 3'));
    const [placedBefore] = await stepsOf(run.id);

    const again = (await RunRecorder.load(testDb.db, run.id))!;
    expect(await again.prepareRetry({ requestedBy: { kind: 'person', id: 'admin-1', label: 'admin' } })).toBe(
      true,
    );
    expect(await runOf(run.id)).toMatchObject({
      status: 'queued',
      attempt: 2,
      errorClass: null,
      errorMessage: null,
    });
    await again.start();
    await again.step('place on host', async () => {
      ran.push('place');
    });
    await again.step('run provision script', async (step) => {
      ran.push('script');
      step.output('container started');
    });
    await again.step('send email', async () => {
      ran.push('mail');
    });
    await again.succeed();

    expect(ran).toEqual(['place', 'script', 'script', 'mail']);
    const [placed, script, mail] = await stepsOf(run.id);
    expect(placed).toEqual(placedBefore);
    expect(script).toMatchObject({ status: 'succeeded', attempts: 2, errorClass: null, message: null });
    expect(mail).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await runOf(run.id)).toMatchObject({ status: 'succeeded', attempt: 2, requestedByLabel: 'admin' });
    // A finished run is not retried.
    expect(await again.prepareRetry()).toBe(false);
  });

  it('cancels a superseded run, skipping what it had not done', async () => {
    const run = await RunRecorder.create(testDb.db, {
      agentId: 'agent-3',
      username: 'cy',
      kind: 'provision',
      steps: ['place on host', 'run provision script'],
    });
    await run.start();
    await run.step('place on host', async () => {});
    await run.cancel('Superseded by a stop run');
    expect((await runOf(run.id)).status).toBe('cancelled');
    expect((await stepsOf(run.id)).map((s) => s.status)).toEqual(['succeeded', 'skipped']);
    expect(await RunRecorder.findUnfinished(testDb.db, 'agent-3')).toBeNull();
  });

  it('commits what is written alongside a failure with it, or neither', async () => {
    const db = testDb.db;
    const outboxRow = (to: string) => ({
      kind: 'agent_attention',
      to,
      subject: 'Your agent needs attention',
      text: 'text',
      createdAt: new Date(),
    });
    const mailsTo = (to: string) => db.select().from(outbox).where(eq(outbox.to, to));

    const failed = await RunRecorder.create(db, {
      agentId: 'agent-4',
      username: 'dan',
      kind: 'provision',
      steps: ['a'],
    });
    await failed.start();
    await failed.fail(new Error('gone'), async (tx) => {
      await tx.insert(outbox).values(outboxRow('dan@example.com'));
    });
    expect((await runOf(failed.id)).status).toBe('failed');
    expect(await mailsTo('dan@example.com')).toHaveLength(1);

    // Whatever stops the transaction (here the write alongside; in life a crash) leaves neither behind,
    // so the retry that records the failure later is the one that writes the mail.
    const interrupted = await RunRecorder.create(db, {
      agentId: 'agent-5',
      username: 'eve',
      kind: 'provision',
      steps: ['a'],
    });
    await interrupted.start();
    await expect(
      interrupted.fail(new Error('gone'), async (tx) => {
        await tx.insert(outbox).values(outboxRow('eve@example.com'));
        throw new Error('interrupted before the commit');
      }),
    ).rejects.toThrow('interrupted before the commit');
    expect((await runOf(interrupted.id)).status).toBe('running');
    expect(await mailsTo('eve@example.com')).toEqual([]);
  });

  it('bounds the tail by characters as well as lines', () => {
    const tail = appendToTail('', 'x'.repeat(20_000));
    expect(tail.length).toBeLessThanOrEqual(8_000);
    expect(appendToTail('a\nb', 'c\n')).toBe('a\nb\nc');
  });
});
