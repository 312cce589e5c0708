/**
 * Usage metering at scale (docs/ARCHITECTURE.md, "Usage metering"), on a real libSQL file:
 *
 * 1. 10,000 people × 395 days of daily rollups (3.95 M rows): one person's month (the dashboard card),
 *    a month's top consumers, the admin's Usage page (the month's report: totals per day and top 10,
 *    with and without a plan filter; a page of the per-person table), the overview's trends (30 and
 *    90 days, with 14 days of hourly rollups for 1,000 people and 20,000 log events), and the CSV export
 *    of a whole month and of the whole range, in rows/s, against a plain read of the same rows in the
 *    same process (the baseline). The top consumers are also timed as the query was before migration
 *    0012 (every row joined to `users`, then grouped), for the ratio.
 * 2. Metering's cost on a host poll of 1,000 agents: the same poll (real `pollAllHosts`, a probe that
 *    answers at once) on a database with the running-stretch triggers and on one without them, steady
 *    (no agent changes state) and with 5 % of the agents changing state every round (far more than a
 *    real fleet: every such change is one trigger write). Target: ≤ 10 % on top.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  adminAnalytics,
  type HostProbe,
  pollAllHosts,
  type ReportedAgentStatus,
  usageCsvLines,
  usageForPerson,
  usageLeaders,
  usagePeople,
  usageReport,
} from '@pocket-smyth/core';
import { agents, createDb, hosts, migrateDb } from '@pocket-smyth/db';

const PEOPLE = 10_000;
const DAYS = 395;
const AGENTS = 1_000;
const DAY_MS = 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ms = (n: number) => `${n.toFixed(1).padStart(8)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

async function rollups(dir: string) {
  const handle = createDb(`file:${path.join(dir, 'usage.db')}`);
  await migrateDb(handle);
  const firstDay = Date.UTC(2025, 10, 1); // 395 days: 2025-11-01 … 2026-11-30
  const [, seedMs] = await timed(async () => {
    await handle.client.execute({
      sql: `WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < ? - 1)
            INSERT INTO users (id, email, username, status, role, created_at, updated_at)
            SELECT printf('person-%05d', i), printf('person-%05d@example.com', i), printf('p%05d', i),
                   'active', 'user', 0, 0 FROM p`,
      args: [PEOPLE],
    });
    await handle.client.execute({
      sql: `WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < ? - 1),
                          d(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM d WHERE j < ? - 1)
            INSERT INTO usage_daily (user_id, day, agent_seconds, cpu_seconds, memory_gb_seconds, api_calls)
            SELECT printf('person-%05d', i), ? + j * ?, (i * 37 + j * 11) % 86400, (i + j) % 7200,
                   (i * 3 + j) % 9000, (i + j * 5) % 300
              FROM p, d`,
      args: [PEOPLE, DAYS, firstDay, DAY_MS],
    });
  });
  // A quarter of the people on a second plan; 14 days of hourly rollups for 1,000 people; a sign-up and
  // an approval in the log for each of 10,000 people over the last 90 days.
  await handle.client.execute(`INSERT INTO plans (id, name) VALUES ('pro', 'Pro')`);
  await handle.client.execute(
    `UPDATE users SET plan_id = 'pro' WHERE cast(substr(id, 8) as integer) % 4 = 0`,
  );
  const lastDay = firstDay + (DAYS - 1) * DAY_MS;
  await handle.client.execute({
    sql: `WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < 999),
                        h(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM h WHERE j < 14 * 24 - 1)
          INSERT INTO usage_hourly (user_id, hour, agent_seconds, cpu_seconds, memory_gb_seconds, api_calls)
          SELECT printf('person-%05d', i), ? - 13 * ? + j * 3600000, (i * 7 + j * 13) % 3600, 0, 0, 0 FROM p, h`,
    args: [lastDay, DAY_MS],
  });
  await handle.client.execute({
    sql: `WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < ? - 1)
          INSERT INTO audit_events (id, at, actor_kind, action, target_kind, target_id)
          SELECT printf('s-%05d', i), ? - (i % 90) * ? - 7200000, 'system', 'person.signed_up', 'person', printf('person-%05d', i) FROM p
          UNION ALL
          SELECT printf('a-%05d', i), ? - (i % 90) * ? - 7200000 + (i % 50) * 600000, 'system', 'person.approved', 'person', printf('person-%05d', i) FROM p`,
    args: [PEOPLE, lastDay + DAY_MS, DAY_MS, lastDay + DAY_MS, DAY_MS],
  });
  console.log(
    `seeded ${PEOPLE.toLocaleString('en')} people × ${DAYS} days in ${(seedMs / 1000).toFixed(1)} s`,
  );
  const now = new Date(Date.UTC(2026, 10, 30, 12));

  const personMs: number[] = [];
  for (let i = 0; i < 50; i++) {
    const [usage, t] = await timed(() =>
      usageForPerson(handle.db, `person-${String(i * 199).padStart(5, '0')}`, undefined, now),
    );
    if (usage.days.length !== 30) throw new Error(`expected 30 days, got ${usage.days.length}`);
    personMs.push(t);
  }
  console.log(`one person's month (dashboard card)        median ${ms(median(personMs))}`);

  const leaderMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [top, t] = await timed(() => usageLeaders(handle.db, { period: '2026-11', limit: 50, now }));
    if (top.people.length !== 50) throw new Error('expected 50 leaders');
    leaderMs.push(t);
  }
  console.log(
    `a month's top 50 of ${PEOPLE.toLocaleString('en')} (admin usage)      median ${ms(median(leaderMs))}`,
  );
  // The same answer as the query was before migration 0012: the old index on `day` alone (rebuilt here
  // for the comparison), every row of the month joined, then grouped.
  await handle.client.execute('CREATE INDEX bench_old_day_idx ON usage_daily (day)');
  const monthStart = Date.UTC(2026, 10, 1);
  const monthEnd = Date.UTC(2026, 11, 1);
  const oldMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [rows, t] = await timed(async () => {
      const result = await handle.client.execute({
        sql: `SELECT d.user_id, u.username, u.email, sum(d.agent_seconds), sum(d.cpu_seconds), sum(d.memory_gb_seconds), sum(d.api_calls)
                FROM usage_daily d INDEXED BY bench_old_day_idx LEFT JOIN users u ON u.id = d.user_id
               WHERE d.day >= ? AND d.day < ? GROUP BY d.user_id ORDER BY sum(d.agent_seconds) DESC, d.user_id LIMIT 50`,
        args: [monthStart, monthEnd],
      });
      return result.rows;
    });
    if (rows.length !== 50) throw new Error('expected 50 rows from the old query');
    oldMs.push(t);
  }
  console.log(
    `  the same, as before 0012 (join, then group)  median ${ms(median(oldMs))}  now ${(median(oldMs) / median(leaderMs)).toFixed(1)}× faster`,
  );
  await handle.client.execute('DROP INDEX bench_old_day_idx');

  const [monthRows, readMs] = await timed(async () => {
    const result = await handle.client.execute({
      sql: 'SELECT count(*) AS n, sum(agent_seconds) FROM usage_daily WHERE day >= ? AND day < ?',
      args: [monthStart, monthEnd],
    });
    return Number(result.rows[0]?.n);
  });
  console.log(
    `  baseline: one pass over the month's ${monthRows.toLocaleString('en')} rows (count, sum)  ${ms(readMs)}`,
  );
  const page = async (label: string, fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) samples.push((await timed(fn))[1]);
    const t = median(samples);
    console.log(`${label.padEnd(46)} median ${ms(t)}  ${(t / readMs).toFixed(2)}× the baseline pass`);
  };
  await page('usage page: month report (per day, top 10)', async () => {
    const report = await usageReport(handle.db, { period: '2026-11' }, now);
    if (report.days.length !== 30 || report.top.length !== 10) throw new Error('unexpected report');
  });
  await page('usage page: month report, plan filter', async () => {
    const report = await usageReport(handle.db, { period: '2026-11', planId: 'pro' }, now);
    if (report.top.length !== 10) throw new Error('unexpected report');
  });
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    cursor =
      (await usagePeople(handle.db, { period: '2026-11', limit: 50, cursor }, now)).nextCursor ?? undefined;
  }
  await page('usage page: per-person table, page 101 of 200', async () => {
    const people = await usagePeople(handle.db, { period: '2026-11', limit: 50, cursor }, now);
    if (people.items.length !== 50) throw new Error('expected a full page');
  });
  await page('usage page: per-person table, plan filter', async () => {
    const people = await usagePeople(handle.db, { period: '2026-11', planId: 'pro', limit: 50 }, now);
    if (people.items.length !== 50) throw new Error('expected a full page');
  });
  for (const days of [30, 90]) {
    await page(`overview trends, ${days} days`, async () => {
      const trends = await adminAnalytics(handle.db, { days }, now);
      if (trends.days.length !== days || trends.medianApprovalMs === null)
        throw new Error('unexpected trends');
    });
  }

  for (const [label, from, to] of [
    ['one month', '2026-11-01', '2026-11-30'],
    ['all 395 days', '2025-11-01', '2026-11-30'],
  ] as const) {
    const [baselineRows, baseMs] = await timed(async () => {
      const result = await handle.client.execute({
        sql: `SELECT d.day, d.user_id, u.username, u.email, d.agent_seconds, d.cpu_seconds, d.memory_gb_seconds, d.api_calls
                FROM usage_daily d LEFT JOIN users u ON u.id = d.user_id
               WHERE d.day >= ? AND d.day < ? ORDER BY d.day, d.user_id`,
        args: [Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + DAY_MS],
      });
      return result.rows.length;
    });
    const [exported, exportMs] = await timed(async () => {
      let lines = 0;
      let bytes = 0;
      for await (const chunk of usageCsvLines(handle.db, { from, to, granularity: 'day' }, now)) {
        bytes += chunk.length;
        for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) lines++;
      }
      return { rows: lines - 1, bytes };
    });
    if (exported.rows !== baselineRows)
      throw new Error(`export wrote ${exported.rows} rows, the read found ${baselineRows}`);
    const rate = (exported.rows / exportMs) * 1000;
    console.log(
      `export ${label.padEnd(12)} ${exported.rows.toLocaleString('en').padStart(9)} rows ${ms(exportMs)}  ${Math.round(rate).toLocaleString('en').padStart(9)} rows/s  ` +
        `(${(exported.bytes / 1e6).toFixed(0)} MB; plain read of the rows ${ms(baseMs)}, export/read ${(exportMs / baseMs).toFixed(2)}×)`,
    );
  }
  handle.client.close();
}

async function pollCost(dir: string, withTriggers: boolean, run: number, flipping: boolean): Promise<number> {
  const handle = createDb(
    `file:${path.join(dir, `poll-${withTriggers ? 'metered' : 'plain'}-${flipping ? 'flips' : 'steady'}-${run}.db`)}`,
  );
  await migrateDb(handle);
  if (!withTriggers) {
    for (const name of [
      'agents_running_started',
      'agents_running_ended',
      'agents_running_inserted',
      'agents_running_deleted',
    ])
      await handle.client.execute(`DROP TRIGGER ${name}`);
  }
  const [host] = await handle.db.insert(hosts).values({ name: 'big', transport: 'local' }).returning();
  const names = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < AGENTS; i += 250) {
    await handle.db.insert(agents).values(
      names.slice(i, i + 250).map((username) => ({
        id: username,
        username,
        hostId: host!.id,
        observedState: 'running' as const,
        observedAt: new Date(Date.now() - 3_600_000),
      })),
    );
  }
  let round = 0;
  const since = new Date(Date.now() - 3_600_000);
  const probe: HostProbe = {
    status: async () => ({
      // 5 % of the agents flip between running and stopped each round (drift the poll corrects).
      agents: names.map((username, i): ReportedAgentStatus => {
        const flipped = flipping && i % 20 === round % 20 ? round % 2 === 1 : false;
        return {
          username,
          state: flipped ? 'stopped' : 'running',
          cpuPercent: 12.5,
          memoryBytes: 256e6,
          since,
        };
      }),
    }),
    stats: async () => ({
      cpuPercent: 40,
      memUsedBytes: 8e9,
      memTotalBytes: 16e9,
      diskUsedBytes: 1e10,
      diskTotalBytes: 1e11,
    }),
  };
  const samples: number[] = [];
  for (round = 0; round < 24; round++) {
    const [, t] = await timed(() =>
      pollAllHosts(handle.db, { probeFor: () => probe }, { timeoutMs: 10_000, retentionMs: 86_400_000 }),
    );
    if (round >= 4) samples.push(t);
  }
  handle.client.close();
  return median(samples);
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ps-bench-usage-'));
  try {
    await rollups(dir);
    for (const flipping of [false, true]) {
      // Interleaved, twice, so a machine busy with something else colours both alike.
      const plain: number[] = [];
      const metered: number[] = [];
      for (let i = 0; i < 2; i++) {
        plain.push(await pollCost(dir, false, i, flipping));
        metered.push(await pollCost(dir, true, i, flipping));
      }
      const base = median(plain);
      const withMetering = median(metered);
      const label = flipping ? '5 % changing state each poll' : 'steady';
      console.log(
        `host poll of ${AGENTS.toLocaleString('en')} agents, ${label}, no metering (baseline)  median ${ms(base)}`,
      );
      console.log(
        `host poll of ${AGENTS.toLocaleString('en')} agents, ${label}, metering triggers  median ${ms(withMetering)}  ${(withMetering / base).toFixed(2)}× (target ≤ 1.10×)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
