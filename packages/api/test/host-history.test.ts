/**
 * admin.hosts.history: a host's samples as the worker stores them (host_samples), read back in time
 * order, cut at the window, averaged into aligned buckets, nulls kept apart from zeros.
 */

import { HOST_HISTORY_MAX_POINTS, historyBucketMs, hostHistory } from '@pocket-smyth/core';
import { hostSamples, hosts } from '@pocket-smyth/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createWorld, expectTRPCError, makePerson, nextSeq, type World } from './helpers';
import { call, restFor, tokenFor } from './rest/rest-helpers';

type SampleRow = typeof hostSamples.$inferInsert;

const GiB = 1024 ** 3;
const HOUR = 3_600_000;

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

async function newHost(): Promise<string> {
  const [row] = await world.db
    .insert(hosts)
    .values({ name: `history-${nextSeq()}`, transport: 'local' })
    .returning({ id: hosts.id });
  if (!row) throw new Error('host insert returned nothing');
  return row.id;
}

/** A full sample: `cpu` %, memory `mem` of 8 GiB and disk `disk` of 100 GiB, as fractions. */
function sample(hostId: string, at: number, cpu: number, mem = 0.5, disk = 0.25): SampleRow {
  return {
    hostId,
    at: new Date(at),
    cpuPercent: cpu,
    memoryUsedBytes: Math.round(mem * 8 * GiB),
    memoryTotalBytes: 8 * GiB,
    diskUsedBytes: Math.round(disk * 100 * GiB),
    diskTotalBytes: 100 * GiB,
  };
}

/** Inserts in chunks: one statement for a day of samples would pass SQLite's bound-variable limit. */
async function seed(rows: SampleRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await world.db.insert(hostSamples).values(rows.slice(i, i + 500));
}

/** A `now` on a one-hour bucket boundary, so each test knows which samples share a bucket. */
const oneHourBucket = historyBucketMs(HOUR);
const now = Math.floor(Date.UTC(2026, 4, 1, 12) / oneHourBucket) * oneHourBucket;

describe('historyBucketMs', () => {
  it('keeps any window to at most 120 aligned buckets, in whole seconds', () => {
    for (const hours of [1, 6, 24]) {
      const windowMs = hours * HOUR;
      const width = historyBucketMs(windowMs);
      expect(width % 1_000).toBe(0);
      // The most aligned buckets an interval of this length can touch.
      expect(Math.ceil(windowMs / width) + 1).toBeLessThanOrEqual(HOST_HISTORY_MAX_POINTS);
    }
  });
});

describe('hostHistory', () => {
  it('returns points oldest first whatever order the samples were written in', async () => {
    const id = await newHost();
    const times = [50, 5, 30, 45, 15].map((m) => now - m * 60_000);
    await seed(times.map((at, i) => sample(id, at, i * 10)));
    const history = await hostHistory(world.db, id, 1, now);
    const ats = history.points.map((p) => p.at.getTime());
    expect(ats).toEqual([...times].sort((a, b) => a - b));
    expect(history.points.map((p) => p.cpuPercent)).toEqual([0, 30, 20, 40, 10]);
  });

  it('cuts at the window: a sample exactly `hours` old is in, one a millisecond older is out', async () => {
    const id = await newHost();
    await seed([
      sample(id, now - HOUR - 1, 99),
      sample(id, now - HOUR, 11),
      sample(id, now - 3 * HOUR, 77),
      sample(id, now - 60_000, 22),
    ]);
    const lastHour = await hostHistory(world.db, id, 1, now);
    expect(lastHour.points.map((p) => p.cpuPercent)).toEqual([11, 22]);
    expect(lastHour.from).toEqual(new Date(now - HOUR));
    expect(lastHour.to).toEqual(new Date(now));
    // Over six hours the two samples a millisecond apart may share a bucket; then they are averaged.
    const sixHours = await hostHistory(world.db, id, 6, now);
    const width = historyBucketMs(6 * HOUR);
    const shared = Math.floor((now - HOUR - 1) / width) === Math.floor((now - HOUR) / width);
    expect(sixHours.points.map((p) => p.cpuPercent)).toEqual(shared ? [77, 55, 22] : [77, 99, 11, 22]);
  });

  it('averages the samples of one bucket, percentages per sample, at their mean time', async () => {
    const id = await newHost();
    const start = now - 10 * oneHourBucket;
    await seed([
      sample(id, start + 1_000, 10, 0.25, 0.1),
      sample(id, start + 16_000, 30, 0.75, 0.3),
      sample(id, start + oneHourBucket + 2_000, 50, 0.5, 0.5),
    ]);
    const history = await hostHistory(world.db, id, 1, now);
    expect(history.bucketSeconds).toBe(oneHourBucket / 1_000);
    expect(history.points).toHaveLength(2);
    const [first, second] = history.points;
    expect(first?.at).toEqual(new Date(start + 8_500));
    expect(first?.cpuPercent).toBeCloseTo(20, 9);
    expect(first?.memoryPercent).toBeCloseTo(50, 6);
    expect(first?.diskPercent).toBeCloseTo(20, 6);
    expect(second?.at).toEqual(new Date(start + oneHourBucket + 2_000));
    expect(second?.cpuPercent).toBeCloseTo(50, 9);
  });

  it('keeps a missing figure out of the average, and a bucket with none of it null, not 0', async () => {
    const id = await newHost();
    const start = now - 20 * oneHourBucket;
    await seed([
      // Bucket 1: one sample lacks CPU and memory; the other's figures stand alone.
      { hostId: id, at: new Date(start + 1_000), diskUsedBytes: 10 * GiB, diskTotalBytes: 100 * GiB },
      sample(id, start + 16_000, 40, 0.5, 0.3),
      // Bucket 2: no CPU at all, and a disk total of 0 (a percentage of nothing is no percentage).
      {
        hostId: id,
        at: new Date(start + oneHourBucket + 1_000),
        memoryUsedBytes: 2 * GiB,
        memoryTotalBytes: 8 * GiB,
        diskUsedBytes: 5,
        diskTotalBytes: 0,
      },
    ]);
    const history = await hostHistory(world.db, id, 1, now);
    expect(history.points).toHaveLength(2);
    const [first, second] = history.points;
    expect(first?.cpuPercent).toBeCloseTo(40, 9);
    expect(first?.memoryPercent).toBeCloseTo(50, 6);
    expect(first?.diskPercent).toBeCloseTo(20, 6);
    expect(second).toMatchObject({ cpuPercent: null, diskPercent: null });
    expect(second?.memoryPercent).toBeCloseTo(25, 6);
    expect(history.latest).toMatchObject({
      at: new Date(start + oneHourBucket + 1_000),
      cpuPercent: null,
      memoryPercent: 25,
      diskPercent: null,
      diskTotalBytes: 0,
    });
  });

  it('gives the newest sample as polled, not its bucket’s average, as `latest`', async () => {
    const id = await newHost();
    const start = now - 30 * oneHourBucket;
    await seed([sample(id, start + 1_000, 10), sample(id, start + 16_000, 90, 0.5, 0.25)]);
    const history = await hostHistory(world.db, id, 1, now);
    expect(history.points.at(-1)?.cpuPercent).toBeCloseTo(50, 9);
    expect(history.latest).toMatchObject({
      at: new Date(start + 16_000),
      cpuPercent: 90,
      memoryPercent: 50,
      diskPercent: 25,
      memoryUsedBytes: 4 * GiB,
      memoryTotalBytes: 8 * GiB,
    });
  });

  it('shrinks a day of 15 s samples (5,760 rows) to at most 120 points that keep the mean', async () => {
    const id = await newHost();
    const rows: SampleRow[] = [];
    for (let at = now - 24 * HOUR + 15_000; at <= now; at += 15_000)
      rows.push(sample(id, at, (at / 15_000) % 100));
    expect(rows).toHaveLength(5_760);
    await seed(rows);
    const history = await hostHistory(world.db, id, 24, now);
    expect(history.points.length).toBeLessThanOrEqual(HOST_HISTORY_MAX_POINTS);
    expect(history.points.length).toBeGreaterThan(HOST_HISTORY_MAX_POINTS - 5);
    const ats = history.points.map((p) => p.at.getTime());
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(ats[0]).toBeGreaterThanOrEqual(now - 24 * HOUR);
    // Every bucket is full but the edges, so the bucket means, weighted by size, give the overall mean.
    const width = history.bucketSeconds * 1_000;
    const sizes = history.points.map(
      (p) =>
        rows.filter((r) => Math.floor(r.at.getTime() / width) === Math.floor(p.at.getTime() / width)).length,
    );
    const weighted = history.points.reduce((sum, p, i) => sum + (p.cpuPercent ?? 0) * (sizes[i] ?? 0), 0);
    const mean = rows.reduce((sum, r) => sum + (r.cpuPercent ?? 0), 0) / rows.length;
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(weighted / rows.length).toBeCloseTo(mean, 6);
  });

  it('answers with no points and no latest for a host the worker has not polled yet', async () => {
    const id = await newHost();
    const history = await hostHistory(world.db, id, 24, now);
    expect(history).toMatchObject({ hostId: id, points: [], latest: null });
  });

  it('shows only the asked host’s samples', async () => {
    const mine = await newHost();
    const other = await newHost();
    await seed([sample(mine, now - 60_000, 12), sample(other, now - 60_000, 88)]);
    const history = await hostHistory(world.db, mine, 1, now);
    expect(history.points.map((p) => p.cpuPercent)).toEqual([12]);
  });
});

describe('admin.hosts.history', () => {
  it('reads the last hour by default, through the router', async () => {
    const id = await newHost();
    await seed([sample(id, Date.now() - 2 * HOUR, 5), sample(id, Date.now() - 60_000, 15)]);
    const history = await callerFor(world.db, world.founder).admin.hosts.history({ id });
    expect(history.points.map((p) => p.cpuPercent)).toEqual([15]);
    expect(Date.parse(history.to) - Date.parse(history.from)).toBe(HOUR);
  });

  it('is NOT_FOUND for an unknown host', async () => {
    await expectTRPCError(
      callerFor(world.db, world.founder).admin.hosts.history({ id: 'no-such-host' }),
      'NOT_FOUND',
    );
  });

  it('refuses a window outside 1–24 hours', async () => {
    const id = await newHost();
    const hosts = callerFor(world.db, world.founder).admin.hosts;
    await expectTRPCError(hosts.history({ id, hours: 0 }), 'BAD_REQUEST');
    await expectTRPCError(hosts.history({ id, hours: 25 }), 'BAD_REQUEST');
    await expectTRPCError(hosts.history({ id, hours: 1.5 }), 'BAD_REQUEST');
  });
});

describe('GET /hosts/{id}/history', () => {
  it('takes `hours` from the query string and answers with ISO times', async () => {
    const id = await newHost();
    await seed([sample(id, Date.now() - 5 * HOUR, 33)]);
    const token = await tokenFor(world.db, world.founder, ['admin:system:read']);
    const res = await call(restFor(world.db), 'GET', `/hosts/${id}/history`, {
      token,
      query: { hours: '6' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({
      hostId: id,
      points: [{ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), cpuPercent: 33, memoryPercent: 50 }],
    });
  });

  it('answers 404 in the one error shape for an unknown host, and 400 for a bad window', async () => {
    const token = await tokenFor(world.db, world.founder, ['admin:system:read']);
    const missing = await call(restFor(world.db), 'GET', '/hosts/no-such-host/history', { token });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'NOT_FOUND', message: 'Host not found' });
    const id = await newHost();
    const bad = await call(restFor(world.db), 'GET', `/hosts/${id}/history`, {
      token,
      query: { hours: '48' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.[0]?.path).toBe('hours');
  });

  it('is for admins only', async () => {
    const active = await makePerson(world.db, 'active');
    await expectTRPCError(
      callerFor(world.db, active).admin.hosts.history({ id: await newHost() }),
      'FORBIDDEN',
    );
  });
});
