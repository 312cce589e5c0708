/**
 * 1,000 approvals → 1,000 agents observed running, through the real worker (graphile-worker on
 * Postgres, libSQL file, the default `local` host) and the real host scripts against the fake docker
 * runtime. Reports wall time and p50/p95 approve→running (the person's `decided_at` to the agent's
 * `observed_at` when it became running). Targets: 1,000 approvals → all running in ≤ 120 s; the approve
 * call itself ≤ 10 ms a person.
 *
 * First, in the same process and without a worker, the cost of the approve call alone: the same number
 * of people approved one call each (one transaction and one enqueue per person: the baseline) and in
 * one call (groups of 200 to a transaction, one enqueue per group).
 *
 * The wall time's and the p95's baseline, in the same run on the same worker: agents approved one at a
 * time, each alone (BENCH_SOLO before the thousand and as many after). A serial worker would take that
 * latency times the count; the p95 is that latency plus the wait behind everyone approved with it.
 * BENCH_APPROVALS (1000) and BENCH_CONCURRENCY (16 worker slots) change the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { approvePeople, systemActor } from '@pocket-smyth/core';
import { createDb, migrateDb, users } from '@pocket-smyth/db';
import { createFakeDocker } from '@pocket-smyth/hosts/testing';
import { allJobs, createEnqueue } from '@pocket-smyth/jobs';
import { createScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { parseWorkerEnv } from '../../apps/worker/src/env';
import { startWorkerProcess } from '../../apps/worker/src/start-worker';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 1000);
const CALL_COST_PEOPLE = Number(process.env.BENCH_APPROVE_CALL_PEOPLE ?? 200);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '16';
/** Agents approved one at a time, alone, for the baseline: this many before the thousand and after. */
const SOLO = Number(process.env.BENCH_SOLO ?? 5);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function pendingPeople(db: ReturnType<typeof createDb>['db'], prefix: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const [row] = await db
      .insert(users)
      .values({ email: `${prefix}-${i}@example.com`, username: `${prefix}-${i}`, status: 'pending' })
      .returning({ id: users.id });
    ids.push(row!.id);
  }
  return ids;
}

/** The approve call alone: one call a person (baseline) against one call for all, on the same setup. */
async function approveCallCost(server: string): Promise<void> {
  const database = await createScratchDatabase(server, 'bench_approve_call');
  const dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-bench-approve-call-'));
  const app = createDb(`file:${path.join(dir, 'app.db')}`);
  await migrateDb(app);
  const enqueue = createEnqueue(database.url, { jobs: allJobs });
  const deps = { actor: systemActor, requestId: 'bench', ip: null, enqueue };
  const info = console.info;
  console.info = () => {};
  try {
    const one = await pendingPeople(app.db, 'one', CALL_COST_PEOPLE);
    const all = await pendingPeople(app.db, 'all', CALL_COST_PEOPLE);
    await approvePeople(app.db, deps, ['warm-up']); // connections and the queue schema
    let started = performance.now();
    for (const id of one) await approvePeople(app.db, deps, [id]);
    const oneEachMs = (performance.now() - started) / CALL_COST_PEOPLE;
    started = performance.now();
    const results = await approvePeople(app.db, deps, all);
    const batchedMs = (performance.now() - started) / CALL_COST_PEOPLE;
    if (results.some((r) => !r.ok)) throw new Error('an approval failed');
    console.log(`approve call, ${CALL_COST_PEOPLE} people, no worker:`);
    console.log(`  baseline, one call a person   ${oneEachMs.toFixed(2).padStart(8)} ms a person`);
    console.log(`  one call for all              ${batchedMs.toFixed(2).padStart(8)} ms a person`);
    console.log(
      `  ratio                         ${(oneEachMs / batchedMs).toFixed(1).padStart(8)}× faster (target ≤ 10 ms a person)`,
    );
  } finally {
    console.info = info;
    await enqueue.release();
    app.client.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await testPostgresUrl();
  await approveCallCost(server);
  const database = await createScratchDatabase(server, 'bench_approvals');
  const dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-bench-approvals-'));
  const fake = createFakeDocker(path.join(dir, 'docker'));
  const libsqlUrl = `file:${path.join(dir, 'app.db')}`;
  const app = createDb(libsqlUrl);
  await migrateDb(app);
  // The local outbox logs every approval mail, the worker a line per job and per placement: thousands
  // of lines, written synchronously to a terminal or pipe from the worker's event loop (1.4 s of it for
  // 300 agents, in a profile). Keep the figures readable and the cost out of them; failures still print.
  const info = console.info;
  const log = console.log;
  const chatter = /^(\[mail:local\]|\[worker\] ok |\[worker\] agent \S+ placed on host)/;
  console.info = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && chatter.test(args[0])) return;
    info(...args);
  };
  console.log = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && chatter.test(args[0])) return;
    log(...args);
  };
  const worker = await startWorkerProcess(
    parseWorkerEnv({
      DATABASE_URL: database.url,
      LIBSQL_URL: libsqlUrl,
      WORKER_CONCURRENCY: CONCURRENCY,
      DOMAIN: 'example.test',
      LOCAL_HOST_CAPACITY: String(APPROVALS + 2 * SOLO),
      HOST_SCRIPT_ENV: JSON.stringify(fake.env),
    }),
    () => {},
  );
  const enqueue = createEnqueue(database.url, { jobs: allJobs });
  const deps = { actor: systemActor, requestId: 'bench', ip: null, enqueue };
  /** Approves `ids` in one call and waits until all their agents run; the wall time, ms. */
  const approveAndWait = async (prefix: string, ids: string[]) => {
    const started = performance.now();
    const results = await approvePeople(app.db, deps, ids);
    const approvedMs = performance.now() - started;
    if (results.some((r) => !r.ok)) throw new Error('an approval failed');
    // Counted in SQL, four times a second: the watcher shares this process (and its event loop) with
    // the worker, and reading every row ten times a second cost the worker measurably at 1,000 agents.
    for (;;) {
      const { rows } = await app.client.execute({
        sql: `select sum(a.observed_state = 'running') as running, sum(a.observed_state = 'failed') as failed
                from agents a join users u on u.id = a.user_id where u.email like ?`,
        args: [`${prefix}-%`],
      });
      const running = Number(rows[0]?.running ?? 0);
      const failed = Number(rows[0]?.failed ?? 0);
      if (failed > 0) throw new Error(`${failed} agents failed`);
      if (running === ids.length) break;
      if (performance.now() - started > 15 * 60_000) throw new Error(`only ${running} running after 15 min`);
      await new Promise((resolve) => setTimeout(resolve, ids.length === 1 ? 10 : 250));
    }
    return { approvedMs, wallMs: performance.now() - started };
  };
  /** approve → running of each agent, and its parts, from the rows (all stored as epoch ms). */
  const partsOf = async (prefix: string) => {
    const { rows } = await app.client.execute({
      sql: `select a.observed_at - u.decided_at as total, r.started_at - u.decided_at as queued,
                   (select sum(s.ended_at - s.started_at) from run_steps s
                     where s.run_id = r.id and s.name in ('run provision script', 'wait for health')) as script
              from runs r join agents a on a.id = r.agent_id join users u on u.id = a.user_id
             where r.kind = 'provision' and r.status = 'succeeded' and u.email like ?`,
      args: [`${prefix}-%`],
    });
    const sorted = (values: number[]) => values.filter((ms) => Number.isFinite(ms)).sort((a, b) => a - b);
    return {
      total: sorted(rows.map((r) => Number(r.total))),
      queued: sorted(rows.map((r) => Number(r.queued))),
      script: sorted(rows.map((r) => Number(r.script))),
      // Everything else: our job wrapper, run recording, placement, enqueue and polling delays.
      rest: sorted(rows.map((r) => Number(r.total) - Number(r.queued) - Number(r.script))),
    };
  };
  const ms = (value: number) => `${value.toFixed(0).padStart(7)} ms`;
  try {
    // The baseline, in this run and on this worker: one approval at a time, each agent alone on an idle
    // worker, SOLO before the thousand and SOLO after (a shared machine's load drifts; both halves are
    // printed). Its approve → running is the cost of one reconcile with nothing to wait for; a serial
    // worker would take that times the count.
    const soloAlone = async (prefix: string) => {
      for (const id of await pendingPeople(app.db, prefix, SOLO)) await approveAndWait(prefix, [id]);
      return partsOf(prefix);
    };
    const soloBefore = await soloAlone('solo');

    const ids = await pendingPeople(app.db, 'bench', APPROVALS);
    console.log(`${APPROVALS} approvals, worker concurrency ${CONCURRENCY}, local host, fake docker runtime`);
    const { approvedMs, wallMs } = await approveAndWait('bench', ids);
    const all = await partsOf('bench');
    const soloAfter = await soloAlone('late');
    const solo = {
      total: [...soloBefore.total, ...soloAfter.total].sort((a, b) => a - b),
      script: [...soloBefore.script, ...soloAfter.script].sort((a, b) => a - b),
    };
    const soloMs = percentile(solo.total, 50);
    const p50 = percentile(all.total, 50);
    const p95 = percentile(all.total, 95);
    const serialMs = soloMs * APPROVALS;
    console.log(`approve call (${APPROVALS} people, one call)             ${ms(approvedMs)}`);
    console.log(
      `baseline: one agent alone, approve → running (median of ${2 * SOLO})  ${ms(soloMs)}   host scripts ${percentile(solo.script, 50).toFixed(0)} ms`,
    );
    console.log(
      `  (median of the ${SOLO} before the thousand ${percentile(soloBefore.total, 50).toFixed(0)} ms, of the ${SOLO} after ${percentile(soloAfter.total, 50).toFixed(0)} ms)`,
    );
    console.log(`wall time, first approve → all ${APPROVALS} running   ${ms(wallMs)}   (target ≤ 120000 ms)`);
    console.log(
      `  baseline: ${APPROVALS} × one agent alone, serially    ${ms(serialMs)}   → ${(serialMs / wallMs).toFixed(1)}× faster than serial`,
    );
    console.log(
      `  per agent: ${(wallMs / APPROVALS).toFixed(1)} ms of wall time   (one agent alone: ${soloMs.toFixed(0)} ms)`,
    );
    console.log(`approve → running  p50 ${ms(p50)}   p95 ${ms(p95)}   max ${ms(all.total.at(-1) ?? 0)}`);
    console.log(
      `  p95 beside the baseline (one agent alone, ${soloMs.toFixed(0)} ms): ${(p95 / soloMs).toFixed(1)}×, the wait behind ${APPROVALS - 1} others`,
    );
    console.log(
      `  of which queued for a worker slot  p50 ${ms(percentile(all.queued, 50))}   p95 ${ms(percentile(all.queued, 95))}`,
    );
    console.log(
      `  of which host scripts (provision + health)  p50 ${ms(percentile(all.script, 50))}   p95 ${ms(percentile(all.script, 95))}`,
    );
    console.log(
      `  the rest (job wrapper, run recording, steps)  p50 ${ms(percentile(all.rest, 50))}   p95 ${ms(percentile(all.rest, 95))}`,
    );
    console.log(`containers in the fake docker: ${fake.containers().length}`);
  } finally {
    // Quiet until the worker has stopped: jobs the reconciler re-sent finish during the stop.
    await worker.runner.stop('bench done').catch(() => {});
    await worker.close();
    console.info = info;
    console.log = log;
    await enqueue.release();
    app.client.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
