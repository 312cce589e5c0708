/**
 * The admin's usage page and the overview's analytics (docs/ARCHITECTURE.md, "Usage and analytics") on
 * a real libSQL file with known rows: every figure below is worked out by hand from the seed.
 */
import { auditEvents, plans, usageDaily, usageHourly, users } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminAnalytics, usageLeaders, usagePeople, usageReport } from '../src/index';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let handle: TestDb;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const now = at('2026-07-20T12:30:00Z');

beforeEach(async () => {
  handle = await createTestDb();
  await handle.db.insert(plans).values({ id: 'pro', name: 'Pro' });
  await handle.db.insert(users).values([
    {
      id: 'p1',
      email: 'ann@example.com',
      username: 'ann',
      status: 'active',
      createdAt: at('2026-07-01T00:00:00Z'),
    },
    {
      id: 'p2',
      email: 'bob@example.com',
      username: 'bob',
      status: 'active',
      planId: 'pro',
      createdAt: at('2026-07-02T00:00:00Z'),
    },
    {
      id: 'p3',
      email: 'Cat@example.com',
      username: 'cat',
      status: 'pending',
      createdAt: at('2026-07-03T00:00:00Z'),
    },
  ]);
  const row = (userId: string, day: string, hours: number, apiCalls: number) => ({
    userId,
    day: at(`${day}T00:00:00Z`),
    agentSeconds: hours * 3600,
    cpuSeconds: hours * 1800,
    memoryGbSeconds: hours * 3600 * 2,
    apiCalls,
  });
  await handle.db.insert(usageDaily).values([
    row('p1', '2026-07-01', 10, 5),
    row('p1', '2026-07-02', 4, 0),
    row('p2', '2026-07-02', 20, 7),
    row('p3', '2026-07-02', 0, 3),
    // June and August stay out of July.
    row('p1', '2026-06-30', 99, 99),
    // A person since deleted still counts in the totals and the top.
    row('gone', '2026-07-05', 1, 1),
  ]);
});
afterEach(() => handle.cleanup());

describe('usage report', () => {
  it('totals a month per day, lists the top consumers, and filters by plan', async () => {
    const july = await usageReport(handle.db, { period: '2026-07' }, now);
    expect(july.days).toHaveLength(20); // 1–20 July: the month so far, today included
    expect(july.totals).toEqual({ agentHours: 35, cpuHours: 17.5, memoryGbHours: 70, apiCalls: 16 });
    expect(july.days[1]).toMatchObject({ agentHours: 24, apiCalls: 10, people: 2 });
    expect(july.days[4]).toMatchObject({ agentHours: 1, people: 1 });
    expect(july.top.map((t) => [t.username, t.agentHours, t.planName])).toEqual([
      ['bob', 20, 'Pro'],
      ['ann', 14, 'Standard'],
      [null, 1, null],
      ['cat', 0, 'Standard'],
    ]);
    expect(july.plans.map((p) => p.name)).toEqual(['Pro', 'Standard']);

    const pro = await usageReport(handle.db, { period: '2026-07', planId: 'pro' }, now);
    expect(pro.totals).toEqual({ agentHours: 20, cpuHours: 10, memoryGbHours: 40, apiCalls: 7 });
    expect(pro.top.map((t) => t.username)).toEqual(['bob']);
    await expect(usageReport(handle.db, { planId: 'nope' }, now)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('pages everyone by email with their month, zeros included', async () => {
    const first = await usagePeople(handle.db, { period: '2026-07', limit: 2 }, now);
    expect(first.items.map((i) => [i.username, i.agentHours, i.apiCalls])).toEqual([
      ['ann', 14, 5],
      ['bob', 20, 7],
    ]);
    expect(first.nextCursor).not.toBeNull();
    const second = await usagePeople(
      handle.db,
      { period: '2026-07', limit: 2, cursor: first.nextCursor ?? undefined },
      now,
    );
    expect(second.items.map((i) => [i.username, i.agentHours, i.apiCalls, i.planName])).toEqual([
      ['cat', 0, 3, 'Standard'],
    ]);
    expect(second.nextCursor).toBeNull();

    const june = await usagePeople(handle.db, { period: '2026-06', planId: 'standard' }, now);
    expect(june.items.map((i) => [i.username, i.agentHours])).toEqual([
      ['ann', 99],
      ['cat', 0],
    ]);
    await expect(usagePeople(handle.db, { cursor: 'garbage' }, now)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('keeps usageLeaders’ answer', async () => {
    const july = await usageLeaders(handle.db, { period: '2026-07', now });
    expect(july.people.map((p) => [p.username, p.agentHours, p.apiCalls])).toEqual([
      ['bob', 20, 7],
      ['ann', 14, 5],
      [null, 1, 1],
      ['cat', 0, 3],
    ]);
  });
});

describe('admin analytics', () => {
  beforeEach(async () => {
    const event = (id: string, action: string, target: string, when: string) => ({
      id,
      at: at(when),
      actorKind: 'system' as const,
      action,
      targetKind: 'person',
      targetId: target,
    });
    await handle.db.insert(auditEvents).values([
      event('e1', 'person.signed_up', 'p1', '2026-07-18T08:00:00Z'),
      event('e2', 'person.signed_up', 'p2', '2026-07-18T09:00:00Z'),
      event('e3', 'person.signed_up', 'p3', '2026-07-19T10:00:00Z'),
      // p1 waits 2 h, p2 waits 5 h, p3 (no sign-up event: the person row's created_at) waits 17 days.
      event('e4', 'person.approved', 'p1', '2026-07-18T10:00:00Z'),
      event('e5', 'person.approved', 'p2', '2026-07-18T14:00:00Z'),
      event('e6', 'person.rejected', 'p9', '2026-07-19T11:00:00Z'),
      // Outside the 30 days.
      event('e7', 'person.signed_up', 'old', '2026-05-01T00:00:00Z'),
    ]);
    // A Monday (2026-07-13) 09:00 UTC and a Sunday (2026-07-19) 23:00.
    await handle.db.insert(usageHourly).values([
      { userId: 'p1', hour: at('2026-07-13T09:00:00Z'), agentSeconds: 1800 },
      { userId: 'p2', hour: at('2026-07-13T09:00:00Z'), agentSeconds: 3600 },
      { userId: 'p1', hour: at('2026-07-19T23:00:00Z'), agentSeconds: 900 },
      // 15 days back: out of the heatmap.
      { userId: 'p1', hour: at('2026-07-05T09:00:00Z'), agentSeconds: 3600 },
    ]);
  });

  it('counts per day, the median wait, and the hour-of-week heatmap', async () => {
    const a = await adminAnalytics(handle.db, { days: 30 }, now);
    expect(a.days).toHaveLength(30);
    expect(a.from).toEqual(at('2026-06-21T00:00:00Z'));
    const day = (iso: string) => a.days.find((d) => d.day.getTime() === at(`${iso}T00:00:00Z`).getTime());
    expect(day('2026-07-18')).toMatchObject({ signUps: 2, approvals: 2, rejections: 0 });
    expect(day('2026-07-19')).toMatchObject({ signUps: 1, approvals: 0, rejections: 1 });
    expect(day('2026-07-02')).toMatchObject({ agentsRunning: 2, apiCalls: 10 });
    expect(day('2026-07-01')).toMatchObject({ agentsRunning: 1, apiCalls: 5 });
    expect(a.totals).toEqual({ signUps: 3, approvals: 2, rejections: 1, apiCalls: 16 + 99 });
    // Two approvals, 2 h and 5 h: the median is their mean.
    expect(a.medianApprovalMs).toBe(3.5 * HOUR);
    expect(a.approvalsMeasured).toBe(2);
    expect(a.heatmap.cells[0]![9]).toBe(1.5);
    expect(a.heatmap.cells[6]![23]).toBe(0.25);
    expect(a.heatmap.cells[6]![9]).toBe(0);
    expect(a.heatmap.max).toBe(1.5);
    expect(a.heatmap.from).toEqual(new Date(at('2026-07-20T00:00:00Z').getTime() - 13 * DAY));
  });

  it('takes the sign-up time from the person row when the log has none', async () => {
    await handle.db.insert(auditEvents).values({
      id: 'e8',
      at: at('2026-07-20T00:00:00Z'),
      actorKind: 'system',
      action: 'person.approved',
      targetKind: 'person',
      targetId: 'p3-row-only',
    });
    await handle.db.insert(users).values({
      id: 'p3-row-only',
      email: 'dan@example.com',
      status: 'active',
      createdAt: at('2026-07-19T00:00:00Z'),
    });
    const a = await adminAnalytics(handle.db, { days: 90 }, now);
    expect(a.days).toHaveLength(90);
    expect(a.approvalsMeasured).toBe(3);
    expect(a.medianApprovalMs).toBe(5 * HOUR); // 2 h, 5 h, 24 h
  });
});
