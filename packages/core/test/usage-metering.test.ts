/**
 * Usage metering against a simulated timeline (docs/ARCHITECTURE.md, "Usage metering"): transitions at
 * known times, host polls every 15 s with gaps, a worker that was down (no rollups, no polls, a stop it
 * learns of late), and a month boundary. Agent-hours must be exact to the second, CPU-seconds within 1%.
 */
import {
  agentRunningIntervals,
  agentSamples,
  agents,
  apiCallCounts,
  usageDaily,
  usageHourly,
  users,
} from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiCallMeter, DAY_MS, HOUR_MS, rollUpUsage, usageForPerson, usageLeaders } from '../src/index';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let handle: TestDb;
const at = (iso: string) => new Date(iso).getTime();

beforeEach(async () => {
  handle = await createTestDb();
  await handle.db
    .insert(users)
    .values({ id: 'p1', email: 'p1@example.com', username: 'pia', status: 'active' });
  await handle.db.insert(agents).values({ id: 'a1', userId: 'p1', username: 'pia', observedState: 'absent' });
});
afterEach(() => handle.cleanup());

/** What the worker writes at a transition: the new state, at the time it happened. */
async function transition(state: 'running' | 'stopped' | 'provisioning', when: number) {
  await handle.db
    .update(agents)
    .set({ observedState: state, observedAt: new Date(when) })
    .where(eq(agents.id, 'a1'));
}

/** A host poll's sample while running, CPU as the simulation says it was at that moment. */
async function poll(when: number, runningSince: number, cpuPercent: number, memoryBytes = 512e6) {
  await handle.db.insert(agentSamples).values({
    agentId: 'a1',
    at: new Date(when),
    cpuPercent,
    memoryBytes,
    observedState: 'running',
    runningSince: new Date(runningSince),
  });
}

const sum = async (table: typeof usageHourly | typeof usageDaily, from: number, to: number) => {
  const column = table === usageHourly ? usageHourly.hour : usageDaily.day;
  const [row] = await handle.db
    .select({
      agentSeconds: sql<number>`coalesce(sum(${table.agentSeconds}), 0)`,
      cpuSeconds: sql<number>`coalesce(sum(${table.cpuSeconds}), 0)`,
      memoryGbSeconds: sql<number>`coalesce(sum(${table.memoryGbSeconds}), 0)`,
    })
    .from(table)
    .where(sql`${column} >= ${from} and ${column} < ${to} and ${table.userId} = 'p1'`);
  return row!;
};

describe('usage metering', () => {
  it('a timeline across a month boundary, with poll gaps, a worker outage and a stop learnt late', async () => {
    const start1 = at('2026-01-31T22:30:15.250Z');
    const stop1 = at('2026-02-01T01:00:45.500Z'); // happened while the worker was down
    const start2 = at('2026-02-01T01:45:00.000Z');
    const stop2 = at('2026-02-01T02:10:00.125Z');
    // The simulated CPU: 50 % until midnight, 150 % after (cores busy × 100).
    const cpuAt = (t: number) => (t < at('2026-02-01T00:00:00Z') ? 50 : 150);
    const outages: [number, number][] = [
      [at('2026-01-31T23:10:00Z'), at('2026-01-31T23:40:00Z')], // polls and rollups stop
      [at('2026-02-01T00:50:00Z'), at('2026-02-01T01:30:00Z')], // the worker is down; the agent stops meanwhile
    ];
    const down = (t: number) => outages.some(([a, b]) => t >= a && t < b);

    await transition('provisioning', start1 - 20_000);
    await transition('running', start1);
    let correctedLate = false;
    let started2 = false;
    let stopped2 = false;
    for (let t = start1; t <= at('2026-02-01T02:30:00Z'); t += 15_000) {
      if (down(t)) continue;
      // Back from the second outage: the poll learns the agent stopped at 01:00:45.5 (the host's time).
      if (t >= at('2026-02-01T01:30:00Z') && !correctedLate) {
        await transition('stopped', stop1);
        correctedLate = true;
      }
      // A start job's run: the state is written when it happens.
      if (t >= start2 && !started2) {
        await transition('running', start2);
        started2 = true;
      }
      const running = (t >= start1 && t < stop1) || (t >= start2 && t < stop2);
      if (running) await poll(t, t >= start2 ? start2 : start1, cpuAt(t));
      if (t >= stop2 && !stopped2) {
        await transition('stopped', stop2);
        stopped2 = true;
      }
      // The cron job every five minutes, when the worker is up.
      if ((t - start1) % 300_000 < 15_000) await rollUpUsage(handle.db, new Date(t));
    }
    await rollUpUsage(handle.db, new Date(at('2026-02-01T03:00:00Z')));

    const truthSeconds = (stop1 - start1 + (stop2 - start2)) / 1000;
    const january = [at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z')] as const;
    const february = [at('2026-02-01T00:00:00Z'), at('2026-03-01T00:00:00Z')] as const;
    const whole = await sum(usageHourly, january[0], february[1]);
    expect(whole.agentSeconds).toBe(truthSeconds);
    expect((await sum(usageDaily, january[0], february[1])).agentSeconds).toBe(truthSeconds);
    // The month boundary splits the first stretch at midnight, to the millisecond.
    expect((await sum(usageDaily, ...january)).agentSeconds).toBe((january[1] - start1) / 1000);
    expect((await sum(usageDaily, ...february)).agentSeconds).toBe(
      truthSeconds - (january[1] - start1) / 1000,
    );

    // CPU truth: 0.5 cores until midnight, 1.5 after, over the running time, the polls' gaps and the
    // stretch the worker did not see included.
    const cpuTruth =
      0.5 * ((january[1] - start1) / 1000) +
      1.5 * ((stop1 - january[1]) / 1000) +
      1.5 * ((stop2 - start2) / 1000);
    expect(Math.abs(whole.cpuSeconds - cpuTruth) / cpuTruth).toBeLessThan(0.01);
    const memoryTruth = 0.512 * truthSeconds;
    expect(Math.abs(whole.memoryGbSeconds - memoryTruth) / memoryTruth).toBeLessThan(0.01);
  });

  it('an open stretch counts up to now; running it twice gives the same rows; old rows are pruned', async () => {
    const now = at('2026-03-10T12:20:00Z');
    await transition('running', now - 2 * HOUR_MS - 30_000);
    await rollUpUsage(handle.db, new Date(now));
    const first = await handle.db.select().from(usageHourly).orderBy(usageHourly.hour);
    expect(first.map((r) => r.agentSeconds)).toEqual([2430, 3600, 1200]);
    await rollUpUsage(handle.db, new Date(now));
    expect(await handle.db.select().from(usageHourly).orderBy(usageHourly.hour)).toEqual(first);

    // Sixteen days on, with the agent stopped long ago: the hours and the stretch are gone, the day stays.
    await transition('stopped', now + HOUR_MS);
    await rollUpUsage(handle.db, new Date(now + 2 * HOUR_MS));
    await rollUpUsage(handle.db, new Date(now + 16 * DAY_MS));
    expect(await handle.db.select().from(usageHourly)).toEqual([]);
    const days = await handle.db.select().from(usageDaily);
    expect(days.map((d) => [d.day.toISOString(), d.agentSeconds])).toEqual([
      ['2026-03-10T00:00:00.000Z', 3 * 3600 + 30],
    ]);
    expect(await handle.db.select().from(agentRunningIntervals)).toEqual([]);
  });

  it('the stretches follow every writer of the state: insert, update and delete of the agent row', async () => {
    await handle.db
      .insert(users)
      .values({ id: 'p2', email: 'p2@example.com', username: 'pia-two', status: 'active' });
    await handle.db.insert(agents).values({
      id: 'a2',
      userId: 'p2',
      username: 'pia-two',
      observedState: 'running',
      observedAt: new Date(at('2026-04-01T00:00:00Z')),
    });
    await handle.db.delete(agents).where(eq(agents.id, 'a2'));
    const [stretch] = await handle.db
      .select()
      .from(agentRunningIntervals)
      .where(eq(agentRunningIntervals.agentId, 'a2'));
    expect(stretch?.startedAt.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(stretch?.endedAt).toBeInstanceOf(Date);
    expect(stretch?.userId).toBe('p2');
  });

  it('API calls: counted per token and hour in memory, added in batches, rolled up per person', async () => {
    const meter = createApiCallMeter(handle.db, { flushMs: 60_000 });
    const ten = at('2026-05-05T10:15:00Z');
    for (let i = 0; i < 3; i++) meter.count('p1', 'tok-a', ten);
    meter.count('p1', 'tok-b', ten);
    meter.count('p1', 'tok-a', ten + HOUR_MS);
    await meter.flush();
    meter.count('p1', 'tok-a', ten); // a second batch adds to the first
    await meter.close();
    const rows = await handle.db
      .select()
      .from(apiCallCounts)
      .orderBy(apiCallCounts.hour, apiCallCounts.tokenId);
    expect(rows.map((r) => [r.tokenId, r.hour.toISOString(), r.count])).toEqual([
      ['tok-a', '2026-05-05T10:00:00.000Z', 4],
      ['tok-b', '2026-05-05T10:00:00.000Z', 1],
      ['tok-a', '2026-05-05T11:00:00.000Z', 1],
    ]);
    await rollUpUsage(handle.db, new Date(ten + 2 * HOUR_MS));
    const hours = await handle.db.select().from(usageHourly).orderBy(usageHourly.hour);
    expect(hours.map((h) => h.apiCalls)).toEqual([5, 1]);
    const days = await handle.db.select().from(usageDaily);
    expect(days.map((d) => [d.day.toISOString(), d.apiCalls])).toEqual([['2026-05-05T00:00:00.000Z', 6]]);
  });

  it('a month as the dashboard reads it: every day so far, totals, when it resets; periods validated', async () => {
    await transition('running', at('2026-06-02T10:00:00Z'));
    await transition('stopped', at('2026-06-02T13:30:00Z'));
    const now = new Date(at('2026-06-04T08:00:00Z'));
    await rollUpUsage(handle.db, now);
    const june = await usageForPerson(handle.db, 'p1', undefined, now);
    expect(june).toMatchObject({
      period: '2026-06',
      start: new Date(at('2026-06-01T00:00:00Z')),
      resetsAt: new Date(at('2026-07-01T00:00:00Z')),
      asOf: now,
      totals: { agentHours: 3.5, apiCalls: 0 },
    });
    expect(june.days.map((d) => d.agentHours)).toEqual([0, 3.5, 0, 0]);
    expect((await usageForPerson(handle.db, 'p1', '2026-05', now)).totals.agentHours).toBe(0);
    await expect(usageForPerson(handle.db, 'p1', '2026-13', now)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('top consumers of a month: summed over its days, most agent-hours first, other months apart', async () => {
    await handle.db
      .insert(users)
      .values({ id: 'p2', email: 'p2@example.com', username: 'bo', status: 'active' });
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
    await handle.db.insert(usageDaily).values([
      { userId: 'p1', day: day('2026-07-01'), agentSeconds: 3600, apiCalls: 2 },
      { userId: 'p1', day: day('2026-07-20'), agentSeconds: 3600, apiCalls: 1 },
      { userId: 'p2', day: day('2026-07-10'), agentSeconds: 3 * 3600 },
      { userId: 'p2', day: day('2026-08-01'), agentSeconds: 100 * 3600 },
    ]);
    const july = await usageLeaders(handle.db, { period: '2026-07' });
    expect(july.people.map((p) => [p.username, p.agentHours, p.apiCalls])).toEqual([
      ['bo', 3, 0],
      ['pia', 2, 3],
    ]);
    expect((await usageLeaders(handle.db, { period: '2026-07', limit: 1 })).people).toHaveLength(1);
  });
});
