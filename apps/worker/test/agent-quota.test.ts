import { approvePeople, commandAgent, grantQuotaTopUp } from '@pocket-smyth/core';
import { agentRunningIntervals, auditEvents, outbox, plans, users } from '@pocket-smyth/db';
import { quotaCheckSpec } from '@pocket-smyth/jobs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  adminChangeDeps,
  agentById,
  agentOf,
  expectTruthfulTimeline,
  latestRun,
  pendingPerson,
  stepsOf,
  waitForObserved,
} from './support';
import { startTestWorker, type TestWorker } from './test-worker';

const HOUR = 3_600_000;

/**
 * The monthly agent-hours quota on the worker (docs/ARCHITECTURE.md, "Plans and quotas"): the `quota.check`
 * cron job behind its port, the real outbox, a real stop run through the host scripts and the fake docker.
 * The usage is seeded as running stretches earlier this month, so the test needs the month to have begun
 * at least 72 minutes ago (the plan has one hour).
 */
describe('quota.check on the worker', () => {
  let world: TestWorker;
  beforeAll(async () => {
    world = await startTestWorker('agent-quota');
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  async function checkQuotas() {
    const utils = await world.enqueue.workerUtils();
    const job = await utils.addJob(
      quotaCheckSpec.name,
      {},
      { jobKey: 'quota:check', queueName: 'quota-check' },
    );
    await vi.waitFor(
      async () => {
        const left = await utils.withPgClient((client) =>
          client.query('select 1 from graphile_worker.jobs where id = $1', [job.id]),
        );
        expect(left.rowCount).toBe(0);
      },
      { timeout: 20_000, interval: 100 },
    );
  }

  const mailsOf = (kind: string) =>
    world.app.db
      .select({ to: outbox.to })
      .from(outbox)
      .where(eq(outbox.kind, kind))
      .then((rows) => rows.map((r) => r.to).sort());

  // The test seeds an hour of running earlier in the current UTC month; in a month's first two hours
  // there is no such hour yet, so it waits for the rest of the month (the core test covers the boundary).
  const monthStart = new Date();
  monthStart.setUTCDate(1);
  monthStart.setUTCHours(0, 0, 0, 0);
  const tooEarlyInTheMonth = Date.now() - monthStart.getTime() < 2 * HOUR;
  it.skipIf(tooEarlyInTheMonth)(
    'warns once at 80%, stops the agent at 100% with a run that says so, refuses a start, and a top-up starts it again',
    async () => {
      const db = world.app.db;
      const admin = await adminChangeDeps(db, world.enqueue);
      await db.insert(plans).values({ id: 'one-hour', name: 'One hour', monthlyAgentHours: 1 });
      const personId = await pendingPerson(db, 'quinn');
      await db.update(users).set({ planId: 'one-hour' }).where(eq(users.id, personId));
      await approvePeople(db, admin, [personId]);
      const agent = (await agentOf(db, personId))!;
      await waitForObserved(db, agent.id, 'running');

      // 50 minutes of this month, before the stretch the provision just opened: 83%.
      const now = Date.now();
      await db.insert(agentRunningIntervals).values({
        agentId: agent.id,
        userId: personId,
        startedAt: new Date(now - 1.2 * HOUR),
        endedAt: new Date(now - 1.2 * HOUR + 50 * 60_000),
        closedAt: new Date(now),
      });
      await checkQuotas();
      await checkQuotas();
      expect(await mailsOf('quota_warning')).toEqual(['quinn@example.com', 'root@example.com']);
      expect((await agentById(db, agent.id))?.desiredState).toBe('running');

      // Ten more minutes: the hour is used up.
      await db.insert(agentRunningIntervals).values({
        agentId: agent.id,
        userId: personId,
        startedAt: new Date(now - 1.2 * HOUR + 50 * 60_000),
        endedAt: new Date(now - 1.2 * HOUR + 60 * 60_000),
        closedAt: new Date(now),
      });
      await checkQuotas();
      await waitForObserved(db, agent.id, 'stopped');
      expect((await agentById(db, agent.id))?.desiredState).toBe('stopped');
      expect(world.fake.container('ps-agent-quinn')?.State.Running).toBe(false);
      const stop = (await latestRun(db, agent.id, 'stop'))!;
      expect(stop.status).toBe('succeeded');
      const steps = await stepsOf(db, stop.id);
      expectTruthfulTimeline(steps, ['quota exhausted', 'stop agent', 'update identity provider']);
      expect(steps[0]?.outputTail).toContain('quota_exhausted');
      await checkQuotas();
      expect(await mailsOf('quota_exhausted')).toEqual(['quinn@example.com', 'root@example.com']);
      expect(await mailsOf('quota_warning')).toHaveLength(2);

      // The owner's start and the admin's restart are both refused, saying when the quota resets.
      const resetsAt = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1));
      for (const [target, command] of [
        [{ personId }, 'start'],
        [{ agentId: agent.id }, 'restart'],
      ] as const) {
        await expect(commandAgent(db, admin, target, command)).rejects.toMatchObject({
          code: 'CONFLICT',
          details: { reason: 'quota_exhausted', resetsAt: resetsAt.toISOString() },
        });
      }

      // A top-up with room left starts it again at once, through a provision.
      await grantQuotaTopUp(db, admin, personId, { agentHours: 1, reason: 'demo on Friday' });
      expect((await agentById(db, agent.id))?.desiredState).toBe('running');
      await waitForObserved(db, agent.id, 'running');
      expect((await latestRun(db, agent.id, 'provision'))?.status).toBe('succeeded');
      const actions = await db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.targetId, agent.id)));
      expect(actions.map((a) => a.action)).toEqual(
        expect.arrayContaining(['agent.quota_stopped', 'agent.quota_restarted']),
      );
    },
    90_000,
  );
});
