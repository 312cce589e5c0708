import { hostname as osHostname } from 'node:os';
import type { WorkerEvents, WorkerUtils } from 'graphile-worker';

/**
 * graphile-worker 0.17 leaves the jobs of a worker that died without stopping (SIGKILL, OOM, power loss)
 * locked for four hours. We keep a heartbeat per worker pool and hand such jobs back sooner:
 * - a pool on this machine whose process is gone is dead at once (the restarted worker frees its jobs);
 * - a pool anywhere whose heartbeat is older than `staleMs` is dead, but its locks are only released once
 *   they are older than `graceMs`, so a pool that just started and has not beaten yet is never robbed.
 * Released jobs keep their attempt count and run again as the next attempt.
 */
const table = 'pocket_smyth_worker.pools';

export interface LivenessOptions {
  utils: WorkerUtils;
  /** Heartbeat period. Default 10 s. */
  intervalMs?: number;
  hostname?: string;
  pid?: number;
}

export interface ReleaseOptions {
  staleMs?: number;
  graceMs?: number;
  hostname?: string;
  isAlive?: (pid: number) => boolean;
}

/**
 * Creates the liveness table if it is missing. `create schema if not exists` is not safe to race: two
 * workers starting at once both find no schema and one fails on pg_namespace's unique index. So the
 * creation runs in a transaction that first takes an advisory lock: the second worker waits, then finds
 * both already there.
 */
export async function ensureLivenessTable(utils: WorkerUtils): Promise<void> {
  await utils.withPgClient(async (client) => {
    await client.query('begin');
    try {
      await client.query(`select pg_advisory_xact_lock(hashtext('pocket_smyth_worker.liveness'))`);
      await client.query(`
        create schema if not exists pocket_smyth_worker;
        create table if not exists ${table} (
          pool_id text primary key,
          hostname text not null,
          pid integer not null,
          started_at timestamptz not null default now(),
          seen_at timestamptz not null default now()
        );`);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Registers every pool `events` reports and beats for it until `stop()` (which deregisters them). */
export async function trackPoolLiveness(events: WorkerEvents, options: LivenessOptions) {
  const { utils } = options;
  const hostname = options.hostname ?? osHostname();
  const pid = options.pid ?? process.pid;
  await ensureLivenessTable(utils);
  const pools = new Set<string>();
  const writes = new Set<Promise<unknown>>();
  const write = (sql: string, values: unknown[]) => {
    const done = utils
      .withPgClient((client) => client.query(sql, values))
      .catch(() => {}) // a missed beat is harmless; the next one comes in intervalMs
      .finally(() => writes.delete(done));
    writes.add(done);
  };
  events.on('pool:create', ({ workerPool }) => {
    pools.add(workerPool.id);
    write(
      `insert into ${table} (pool_id, hostname, pid) values ($1, $2, $3)
       on conflict (pool_id) do update set seen_at = now()`,
      [workerPool.id, hostname, pid],
    );
  });
  const timer = setInterval(() => {
    if (pools.size > 0) write(`update ${table} set seen_at = now() where pool_id = any($1)`, [[...pools]]);
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(writes);
      if (pools.size > 0) {
        await utils
          .withPgClient((client) =>
            client.query(`delete from ${table} where pool_id = any($1)`, [[...pools]]),
          )
          .catch(() => {});
      }
    },
  };
}

/** Unlocks the jobs of dead pools (see above); returns the pool ids released. */
export async function releaseJobsOfDeadPools(
  utils: WorkerUtils,
  options: ReleaseOptions = {},
): Promise<string[]> {
  const staleMs = options.staleMs ?? 45_000;
  const graceMs = options.graceMs ?? 60_000;
  const hostname = options.hostname ?? osHostname();
  const isAlive = options.isAlive ?? processAlive;
  await ensureLivenessTable(utils);
  return utils.withPgClient(async (client) => {
    const local = await client.query<{ pool_id: string; pid: number }>(
      `select pool_id, pid from ${table} where hostname = $1`,
      [hostname],
    );
    const deadHere = local.rows.filter((row) => !isAlive(row.pid)).map((row) => row.pool_id);
    const stale = await client.query<{ pool_id: string }>(
      `select distinct j.locked_by as pool_id
         from graphile_worker.jobs j
        where j.locked_by is not null
          and j.locked_at < now() - $1 * interval '1 millisecond'
          and not exists (
            select 1 from ${table} p where p.pool_id = j.locked_by and p.seen_at > now() - $2 * interval '1 millisecond'
          )`,
      [graceMs, staleMs],
    );
    const dead = [...new Set([...deadHere, ...stale.rows.map((row) => row.pool_id)])];
    if (dead.length === 0) return [];
    await client.query('select graphile_worker.force_unlock_workers($1::text[])', [dead]);
    await client.query(`delete from ${table} where pool_id = any($1)`, [dead]);
    return dead;
  });
}

/**
 * Whether a worker on `hostname` has beaten within `maxAgeMs`: the worker container's healthcheck
 * (apps/worker/src/healthcheck.ts). A worker whose runner hangs, or that crash-loops, stops beating.
 */
export async function workerBeatingOn(
  utils: WorkerUtils,
  hostname: string,
  maxAgeMs: number,
): Promise<boolean> {
  await ensureLivenessTable(utils);
  const { rows } = await utils.withPgClient((client) =>
    client.query(
      `select 1 from ${table} where hostname = $1 and seen_at > now() - $2 * interval '1 millisecond' limit 1`,
      [hostname, maxAgeMs],
    ),
  );
  return rows.length > 0;
}

/**
 * How long ago any worker (on any machine) last beat, in ms; null when none ever did or the liveness
 * table does not exist yet (no worker has started). The web app's readiness check reads this; it never
 * creates the table.
 */
export async function newestWorkerBeatAgeMs(utils: WorkerUtils): Promise<number | null> {
  return utils.withPgClient(async (client) => {
    const exists = await client.query<{ t: string | null }>(`select to_regclass('${table}')::text as t`);
    if (!exists.rows[0]?.t) return null;
    const { rows } = await client.query<{ age_ms: string | null }>(
      `select extract(epoch from now() - max(seen_at)) * 1000 as age_ms from ${table}`,
    );
    const age = rows[0]?.age_ms;
    return age == null ? null : Math.max(0, Math.round(Number(age)));
  });
}
