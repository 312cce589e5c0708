/**
 * The monthly agent-hours quota (agent-quota.ts; docs/ARCHITECTURE.md, "Plans and quotas"): usage from
 * the running stretches clipped to the UTC month (an open one up to now), the month's older days from the
 * daily rollups, top-ups of this month only; the check's notices once per month; start refused with when
 * it resets; a top-up starting the agent again at once.
 */
import {
  agentQuotaPeriods,
  agentRunningIntervals,
  agents,
  auditEvents,
  plans,
  usageDaily,
  users,
} from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import type { Mail } from '@pocket-smyth/email';
import type { JobRequest } from '@pocket-smyth/jobs/contract';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AppError,
  agentQuotaFor,
  type ChangeDeps,
  checkAgentQuotas,
  commandAgent,
  grantQuotaTopUp,
} from '../src/index';

let handle: Awaited<ReturnType<typeof createTestDb>>;
let mails: Mail[];
let enqueued: JobRequest[];
let deps: ChangeDeps;
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

async function stretch(startedAt: string, endedAt: string | null) {
  await handle.db.insert(agentRunningIntervals).values({
    agentId: 'a1',
    userId: 'p1',
    startedAt: at(startedAt),
    endedAt: endedAt ? at(endedAt) : null,
    closedAt: endedAt ? at(endedAt) : null,
  });
}

beforeEach(async () => {
  handle = await createTestDb();
  mails = [];
  enqueued = [];
  await handle.db.insert(plans).values({ id: 'small', name: 'Small', monthlyAgentHours: 10 });
  await handle.db.insert(users).values([
    { id: 'root', email: 'root@example.com', username: 'root', role: 'admin', status: 'active' },
    { id: 'p1', email: 'pia@example.com', username: 'pia', status: 'active', planId: 'small' },
  ]);
  // No running transition: the stretches are written by hand, at the times each test needs.
  await handle.db
    .insert(agents)
    .values({ id: 'a1', userId: 'p1', username: 'pia', desiredState: 'running', observedState: 'absent' });
  deps = {
    actor: { kind: 'person', id: 'root', label: 'root@example.com', personId: 'root' },
    requestId: 'req-quota',
    ip: null,
    enqueue: async (jobs) => {
      enqueued.push(...jobs);
    },
    mailer: {
      async record(mail) {
        mails.push(mail);
        return { id: `mail-${mails.length}` };
      },
    },
    portalUrl: 'https://login.example.com',
  };
});
afterEach(() => handle.cleanup());

describe('the agent-hours used this month', () => {
  it('clips stretches to the UTC month, counts an open one up to now, and adds only this month’s top-ups', async () => {
    await stretch('2026-11-30T22:00:00Z', '2026-12-01T02:00:00Z'); // 2 h in December
    await stretch('2026-12-03T08:00:00Z', '2026-12-03T08:30:00Z'); // 0.5 h
    await stretch('2026-12-04T10:00:00Z', null); // open: 2 h up to now
    await stretch('2026-11-20T10:00:00Z', '2026-11-20T20:00:00Z'); // November: not counted
    const now = at('2026-12-04T12:00:00Z');
    await grantQuotaTopUp(handle.db, deps, 'p1', { agentHours: 1.5, reason: 'conference demo' }, now);
    await grantQuotaTopUp(
      handle.db,
      deps,
      'p1',
      { agentHours: 5, reason: 'last month' },
      at('2026-11-20T00:00:00Z'),
    );

    const quota = await agentQuotaFor(handle.db, 'p1', now);
    expect(quota).toMatchObject({
      period: '2026-12',
      planHours: 10,
      topUpHours: 1.5,
      limitHours: 11.5,
      usedHours: 4.5,
      warning: false,
      exhausted: false,
    });
    expect(quota.resetsAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(quota.percent).toBeCloseTo((4.5 / 11.5) * 100, 0);
    // November's top-up counted in November only.
    const november = await agentQuotaFor(handle.db, 'p1', at('2026-11-30T23:00:00Z'));
    expect(november).toMatchObject({ topUpHours: 5, limitHours: 15, usedHours: 11 });
  });

  it('takes the month’s days past the stretches’ retention from the daily rollups, and never both', async () => {
    const now = at('2026-12-20T12:00:00Z');
    // Dec 2: its stretch is long pruned; only the rollup remains.
    await handle.db
      .insert(usageDaily)
      .values({ userId: 'p1', day: at('2026-12-02T00:00:00Z'), agentSeconds: 3 * 3600 });
    // Dec 10: both the stretch and its rollup exist; the stretch is counted, the rollup is not.
    await stretch('2026-12-10T01:00:00Z', '2026-12-10T03:00:00Z');
    await handle.db
      .insert(usageDaily)
      .values({ userId: 'p1', day: at('2026-12-10T00:00:00Z'), agentSeconds: 2 * 3600 });
    // November's rollup: another month.
    await handle.db
      .insert(usageDaily)
      .values({ userId: 'p1', day: at('2026-11-29T00:00:00Z'), agentSeconds: 9 * 3600 });
    expect((await agentQuotaFor(handle.db, 'p1', now)).usedHours).toBe(5);
  });

  it('is unlimited on a plan without monthly hours', async () => {
    await handle.db.update(users).set({ planId: 'standard' }).where(eq(users.id, 'p1'));
    await stretch('2026-12-01T00:00:00Z', null);
    const quota = await agentQuotaFor(handle.db, 'p1', at('2026-12-20T00:00:00Z'));
    expect(quota).toMatchObject({ limitHours: null, percent: null, warning: false, exhausted: false });
  });
});

describe('the quota check', () => {
  it('warns at 80% once, stops at 100% once, refuses a start with when it resets, and a top-up starts it again', async () => {
    await stretch('2026-12-04T00:00:00Z', null);
    const t = (hours: number) => new Date(at('2026-12-04T00:00:00Z').getTime() + hours * HOUR);

    expect(await checkAgentQuotas(handle.db, deps, t(7))).toMatchObject({ warned: 0, stopped: 0 });
    await checkAgentQuotas(handle.db, deps, t(8.1));
    await checkAgentQuotas(handle.db, deps, t(8.2));
    expect(mails.map((m) => [m.kind, m.to])).toEqual([
      ['quota_warning', 'pia@example.com'],
      ['quota_warning', 'root@example.com'],
    ]);

    expect(await checkAgentQuotas(handle.db, deps, t(10))).toMatchObject({ stopped: 1 });
    expect(await checkAgentQuotas(handle.db, deps, t(10.1))).toMatchObject({ stopped: 0 });
    expect(mails.slice(2).map((m) => [m.kind, m.to])).toEqual([
      ['quota_exhausted', 'pia@example.com'],
      ['quota_exhausted', 'root@example.com'],
    ]);
    const [stopped] = await handle.db.select().from(agents).where(eq(agents.id, 'a1'));
    expect(stopped?.desiredState).toBe('stopped');
    expect(enqueued.filter((j) => j.name === 'agent.reconcile')).toHaveLength(1);
    const [period] = await handle.db.select().from(agentQuotaPeriods);
    expect(period).toMatchObject({ period: '2026-12', stoppedAgent: true });

    // The stretch closes as the stop run would; the agent used its 10 hours.
    await handle.db
      .update(agentRunningIntervals)
      .set({ endedAt: t(10.05), closedAt: t(10.05) })
      .where(eq(agentRunningIntervals.agentId, 'a1'));
    const refused = await commandAgent(handle.db, deps, { personId: 'p1' }, 'start').catch((e) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'quota_exhausted', resetsAt: '2027-01-01T00:00:00.000Z' },
    });
    expect(refused.message).toContain('2027-01-01');
    await expect(commandAgent(handle.db, deps, { agentId: 'a1' }, 'restart')).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    // A top-up with room left: started again at once, audited, with a provision to follow.
    enqueued = [];
    await grantQuotaTopUp(handle.db, deps, 'p1', { agentHours: 2, reason: 'deadline' }, t(10.2));
    const [restarted] = await handle.db.select().from(agents).where(eq(agents.id, 'a1'));
    expect(restarted?.desiredState).toBe('running');
    expect(enqueued.map((j) => j.name)).toEqual(['agent.reconcile']);
    const actions = (await handle.db.select().from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(['agent.quota_stopped', 'quota.topup_granted', 'agent.quota_restarted']);
    // Checked again: nothing more to do, no more mail.
    expect(await checkAgentQuotas(handle.db, deps, t(10.3))).toMatchObject({ stopped: 0, restarted: 0 });
    expect(mails).toHaveLength(4);
  });

  it('starts an agent the quota stopped when the month rolls over, but never one its owner stopped', async () => {
    await stretch('2026-12-30T00:00:00Z', '2026-12-30T11:00:00Z');
    await checkAgentQuotas(handle.db, deps, at('2026-12-31T00:00:00Z'));
    expect((await handle.db.select().from(agents))[0]?.desiredState).toBe('stopped');
    // Still December: stays stopped.
    expect(await checkAgentQuotas(handle.db, deps, at('2026-12-31T23:59:00Z'))).toMatchObject({
      restarted: 0,
    });
    expect(await checkAgentQuotas(handle.db, deps, at('2027-01-01T00:00:30Z'))).toMatchObject({
      restarted: 1,
    });
    expect((await handle.db.select().from(agents))[0]?.desiredState).toBe('running');

    // The owner's own stop is not the quota's: January's rollover in February leaves it alone.
    await handle.db.update(agents).set({ desiredState: 'stopped' }).where(eq(agents.id, 'a1'));
    expect(await checkAgentQuotas(handle.db, deps, at('2027-02-01T00:00:30Z'))).toMatchObject({
      restarted: 0,
    });
    expect((await handle.db.select().from(agents))[0]?.desiredState).toBe('stopped');
  });

  it('rejects a top-up without a reason or hours, and for nobody', async () => {
    await expect(
      grantQuotaTopUp(handle.db, deps, 'p1', { agentHours: 2, reason: ' ' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      grantQuotaTopUp(handle.db, deps, 'p1', { agentHours: 0, reason: 'x' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      grantQuotaTopUp(handle.db, deps, 'nobody', { agentHours: 1, reason: 'x' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
