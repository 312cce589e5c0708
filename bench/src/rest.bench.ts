/**
 * REST overhead (issue 4): `GET /api/me` with a bearer token, 50 keep-alive connections, warm-up then a
 * fixed window, against
 *   A  the production server (`next start` on the committed build, loopback only), and
 *   B  a bare `node:http` handler doing the same work (rest-raw-server.ts: token lookup by hash joined
 *      with the owner, the shared rate-limit upsert, the profile as JSON), also in its own process,
 *   D  `server.mjs` (what `pnpm start` runs), which hands token calls to the REST handler without Next,
 * all driven from this process over HTTP, one after the other, on the same libSQL file. Then
 *   C  our REST handler (`createRestHandler`) called in this process with `new Request(...)`: no HTTP,
 *      no Next, so A's CPU per request minus C's is what Next itself costs.
 * Server CPU per request is read from /proc for each server's process tree over the measured window.
 * Targets: D ≥ 50% of B's req/s with p99 ≤ 100 ms (A, kept for comparison: ≥ 20%). Benchmarks report;
 * they only fail on errors.
 *
 * Env: REST_BENCH_WARMUP_MS (3000), REST_BENCH_DURATION_MS (10000); REST_BENCH_BUILD=always rebuilds the
 * web app even when .next/BUILD_ID is newer than every source file, =never uses the existing build as is;
 * REST_BENCH_PROFILE=<dir> has server.mjs write a CPU profile there (open it in Chrome's DevTools).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createRestHandler } from '@pocket-smyth/api';
import {
  approvePeople,
  type ChangeDeps,
  completeOnboarding,
  createApiToken,
  getPersonById,
  registerPerson,
  systemActor,
} from '@pocket-smyth/core';
import { createDb, migrateDb } from '@pocket-smyth/db';
import { freePort } from '@pocket-smyth/postgres';
import { startTestPostgres, type TestPostgres } from '@pocket-smyth/postgres/testing';
import { consumeRateLimit } from '../../packages/api/src/rest/rate-limit';

// The server runs with NODE_ENV=production, and tRPC/zod cost several times more per call outside it, so
// C (and B) must too: re-run this file with it set before any module reads it.
if (process.env.NODE_ENV !== 'production') {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  process.exit(r.status ?? 1);
}

const warmupMs = Number(process.env.REST_BENCH_WARMUP_MS ?? 3_000);
const durationMs = Number(process.env.REST_BENCH_DURATION_MS ?? 10_000);
const connections = 50;
const rateLimit = 100_000_000;

const root = path.resolve(import.meta.dirname, '..', '..');
const webDir = path.join(root, 'apps', 'web');

// ---------------------------------------------------------------------------------------------------
// Build

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.next') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web app unless `.next/BUILD_ID` is newer than every source it is built from. */
function ensureBuild(): number | null {
  const buildId = path.join(webDir, '.next', 'BUILD_ID');
  const sources = [
    path.join(webDir, 'src'),
    path.join(webDir, 'next.config.ts'),
    path.join(webDir, 'package.json'),
    ...readdirSync(path.join(root, 'packages')).map((p) => path.join(root, 'packages', p, 'src')),
  ];
  const newestSource = Math.max(
    ...sources.map((s) => (existsSync(s) && statSync(s).isFile() ? statSync(s).mtimeMs : newestMtime(s))),
  );
  const fresh = existsSync(buildId) && statSync(buildId).mtimeMs > newestSource;
  if (existsSync(buildId) && process.env.REST_BENCH_BUILD === 'never') {
    if (!fresh) console.log('note: the web build is older than its sources (REST_BENCH_BUILD=never)');
    return null;
  }
  if (fresh && process.env.REST_BENCH_BUILD !== 'always') return null;
  console.log(fresh ? 'building the web app (REST_BENCH_BUILD=always)…' : 'web build is stale; building…');
  const t0 = performance.now();
  const r = spawnSync('pnpm', ['--filter', '@pocket-smyth/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`web build failed (exit ${r.status})`);
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------------
// Servers

interface Server {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * `next start` as e2e/src/app-server.ts starts it, but bound to loopback and with a high rate limit; or
 * `server.mjs` (what `pnpm start` runs), which serves token calls without Next's pipeline.
 */
/** REST_BENCH_PROFILE=<dir>: server.mjs writes a V8 CPU profile there when it stops. */
function profileArgs(): string[] {
  const dir = process.env.REST_BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

async function startNext(
  dataDir: string,
  databaseUrl: string,
  kind: 'next start' | 'server.mjs' = 'next start',
): Promise<Server & { logs(): string }> {
  const port = await freePort();
  let output = '';
  const child = spawn(
    process.execPath,
    kind === 'server.mjs'
      ? [...profileArgs(), path.join(webDir, 'server.mjs')]
      : [
          path.join(webDir, 'node_modules', 'next', 'dist', 'bin', 'next'),
          'start',
          '--hostname',
          '127.0.0.1',
          '--port',
          String(port),
        ],
    {
      cwd: webDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        PORT: String(port),
        DATA_DIR: dataDir,
        LIBSQL_URL: `file:${path.join(dataDir, 'app.db')}`,
        DATABASE_URL: databaseUrl,
        AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-bench',
        AUTH_URL: `http://localhost:${port}`,
        RATE_LIMIT_PER_MINUTE: String(rateLimit),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const server = { port, pid: child.pid ?? 0, stop: () => stopChild(child), logs: () => output };
  // The instrumentation hook migrates before any request is served, so any answer means "migrated".
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited early:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/me`);
      await res.arrayBuffer();
      if (res.status === 401) return server;
    } catch {}
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`next start did not answer in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startRaw(libsqlUrl: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), path.join(import.meta.dirname, 'rest-raw-server.ts')],
    { env: { ...process.env, REST_BENCH_LIBSQL_URL: libsqlUrl }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('raw server did not start in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`raw server exited early (${code})`)));
    child.stdout?.on('data', (d) => {
      buffered += d;
      const line = buffered.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
  });
  return { port, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

// ---------------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc): user+system time of a process and all its descendants

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function treeCpuMs(rootPid: number): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {}
  }
  let ticks = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    ticks += procs.get(pid)?.ticks ?? 0;
    for (const [child, p] of procs) if (p.ppid === pid) stack.push(child);
  }
  return (ticks * 1000) / clockTicks;
}

// ---------------------------------------------------------------------------------------------------
// Load

interface Outcome {
  status: number;
  body: string;
  headers: Record<string, string>;
}
type Call = () => Promise<Outcome>;

interface Stats {
  requests: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  latencies: Float64Array;
  /** Server process tree (A, B) or this process (C), ms of CPU over the window. */
  serverCpuMs: number | null;
  /** This process (the load generator), ms of CPU over the window. */
  clientCpuMs: number;
}

function httpCall(agent: http.Agent, port: number, token: string): Call {
  return () =>
    new Promise<Outcome>((resolve, reject) => {
      const req = http.request(
        { agent, host: '127.0.0.1', port, path: '/api/me', headers: { authorization: `Bearer ${token}` } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            body += d;
          });
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
            resolve({ status: res.statusCode ?? 0, body, headers });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
}

function inProcessCall(handler: (req: Request) => Promise<Response>, token: string): Call {
  return async () => {
    const res = await handler(
      new Request('http://127.0.0.1/api/me', { headers: { authorization: `Bearer ${token}` } }),
    );
    return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
  };
}

/** `connections` callers, each issuing one request after another until the window closes. */
async function load(call: Call, ms: number, serverPid: number | null): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const serverCpu0 = serverPid === null ? null : treeCpuMs(serverPid);
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        try {
          const out = await call();
          if (out.status === 200) {
            latencies.push(performance.now() - start);
            continue;
          }
          errors++;
          firstError ??= `HTTP ${out.status}: ${out.body.slice(0, 300)}`;
        } catch (error) {
          errors++;
          firstError ??= String(error);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  const clientCpu = process.cpuUsage(clientCpu0);
  const serverCpu1 = serverPid === null ? null : treeCpuMs(serverPid);
  return {
    requests: latencies.length,
    errors,
    firstError,
    elapsedMs,
    latencies: Float64Array.from(latencies).sort(),
    serverCpuMs: serverCpu0 !== null && serverCpu1 !== null ? serverCpu1 - serverCpu0 : null,
    clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
  };
}

async function measure(label: string, call: Call, serverPid: number | null): Promise<Stats> {
  process.stdout.write(`${label}: warm-up ${warmupMs} ms, measuring ${durationMs} ms… `);
  const warm = await load(call, warmupMs, serverPid);
  const stats = await load(call, durationMs, serverPid);
  stats.errors += warm.errors;
  stats.firstError ??= warm.firstError;
  console.log(`${Math.round((stats.requests * 1000) / stats.elapsedMs)} req/s`);
  return stats;
}

const pct = (sorted: Float64Array, p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const rps = (s: Stats) => (s.requests * 1000) / s.elapsedMs;
const cpuPerReq = (ms: number | null, s: Stats) => (ms === null || s.requests === 0 ? null : ms / s.requests);

// ---------------------------------------------------------------------------------------------------

const cleanups: (() => Promise<void> | void)[] = [];
async function cleanup() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()!();
    } catch (error) {
      console.error('cleanup:', error);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const buildMs = ensureBuild();

  const dataDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-rest-bench-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const libsqlUrl = `file:${path.join(dataDir, 'app.db')}`;

  const t0 = performance.now();
  const postgres: TestPostgres = await startTestPostgres();
  cleanups.push(() => postgres.stop());
  const next = await startNext(dataDir, postgres.url);
  cleanups.push(() => next.stop());
  const startMs = performance.now() - t0;
  const mjs = await startNext(dataDir, postgres.url, 'server.mjs');
  cleanups.push(() => mjs.stop());

  // The server has migrated; add an approved person with a `me:read` token straight into its database.
  const handle = createDb(libsqlUrl);
  cleanups.push(() => handle.client.close());
  await migrateDb(handle);
  const { db } = handle;
  const deps: ChangeDeps = { actor: systemActor, requestId: null, ip: null, enqueue: async () => {} };
  const founder = await registerPerson(db, { email: 'founder@bench.test' }, { adminEmails: [] });
  await completeOnboarding(db, deps, founder.id, { username: 'founder' });
  const registered = await registerPerson(db, { email: 'bench@bench.test' }, { adminEmails: [] });
  await completeOnboarding(db, deps, registered.id, { username: 'bencher' });
  const [approved] = await approvePeople(db, deps, [registered.id]);
  if (!approved?.ok) throw new Error(`approving the bench person failed: ${JSON.stringify(approved)}`);
  const person = await getPersonById(db, registered.id);
  const { secret } = await createApiToken(
    db,
    deps,
    person,
    { name: 'bench', scopes: ['me:read'], expiresInDays: 1 },
    { maxDays: 30 },
  );

  const raw = await startRaw(libsqlUrl);
  cleanups.push(() => raw.stop());
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  cleanups.push(() => agent.destroy());
  const callA = httpCall(agent, next.port, secret);
  const callB = httpCall(agent, raw.port, secret);
  const callD = httpCall(agent, mjs.port, secret);
  const restHandler = createRestHandler({
    db,
    rateLimits: {
      authenticated: { limit: rateLimit, windowMs: 60_000 },
      anonymous: { limit: rateLimit, windowMs: 60_000 },
    },
  });
  const callC = inProcessCall(restHandler, secret);

  // All three must give the same answer, or the comparison means nothing.
  let errors = 0;
  const answers = await Promise.all([callA(), callB(), callC(), callD()]);
  const [a, b, c, d] = answers;
  for (const [name, out] of [
    ['A', a],
    ['B', b],
    ['C', c],
    ['D', d],
  ] as const) {
    if (out.status !== 200) {
      errors++;
      console.error(`${name}: HTTP ${out.status} ${out.body.slice(0, 300)}`);
    }
    if (out.headers['ratelimit-limit'] !== String(rateLimit)) {
      errors++;
      console.error(`${name}: RateLimit-Limit is ${out.headers['ratelimit-limit']}, expected ${rateLimit}`);
    }
  }
  if (!isDeepStrictEqual(JSON.parse(a.body), JSON.parse(b.body)) || a.body.length === 0) {
    errors++;
    console.error(`A and B answer differently:\nA ${a.body}\nB ${b.body}`);
  }
  if (!isDeepStrictEqual(JSON.parse(a.body), JSON.parse(d.body))) {
    errors++;
    console.error(`A and D answer differently:\nA ${a.body}\nD ${d.body}`);
  }
  if (!isDeepStrictEqual(JSON.parse(a.body), JSON.parse(c.body))) {
    errors++;
    console.error(`A and C answer differently:\nA ${a.body}\nC ${c.body}`);
  }
  if (errors > 0) return 1;

  const A = await measure('A next start ', callA, next.pid);
  const D = await measure('D server.mjs ', callD, mjs.pid);
  const B = await measure('B node:http  ', callB, raw.pid);
  // C runs in this process: stop the servers so nothing else takes CPU.
  await raw.stop();
  await next.stop();
  await mjs.stop();
  const C = await measure('C in-process ', callC, process.pid);
  C.serverCpuMs = C.clientCpuMs;

  // What one rate-limit upsert (a committed write, one per request on every target) costs on this disk.
  const upserts = 200;
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < upserts; i++)
    await consumeRateLimit(db, 'bench:probe', { limit: rateLimit, windowMs: 60_000 });
  const upsertWallMs = (performance.now() - w0) / upserts;
  const upsertCpu = process.cpuUsage(cpu0);
  const upsertCpuMs = (upsertCpu.user + upsertCpu.system) / 1000 / upserts;

  const rows = [
    ['A  next start, HTTP', A],
    ['D  server.mjs (pnpm start), HTTP', D],
    ['B  raw node:http, HTTP', B],
    ['C  createRestHandler in-process', C],
  ] as const;
  const f = (n: number | null, digits = 2) => (n === null || Number.isNaN(n) ? '-' : n.toFixed(digits));
  console.log(
    `\nGET /api/me with a bearer token, ${connections} concurrent, ${warmupMs / 1000} s warm-up + ${
      durationMs / 1000
    } s measured each (start-up of Postgres + next start: ${(startMs / 1000).toFixed(1)} s${
      buildMs === null ? ', build up to date' : `, build ${(buildMs / 1000).toFixed(1)} s`
    })\n`,
  );
  console.log(
    `${'target'.padEnd(34)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(
      9,
    )}${'errors'.padStart(8)}${'srv CPU ms/req'.padStart(16)}${'loadgen CPU'.padStart(13)}`,
  );
  for (const [label, s] of rows) {
    console.log(
      `${label.padEnd(34)}${rps(s).toFixed(0).padStart(9)}${f(pct(s.latencies, 50)).padStart(9)}${f(
        pct(s.latencies, 99),
      ).padStart(9)}${f(s.latencies.at(-1) ?? null).padStart(9)}${String(s.errors).padStart(8)}${f(
        cpuPerReq(s.serverCpuMs, s),
        3,
      ).padStart(16)}${`${((100 * s.clientCpuMs) / s.elapsedMs).toFixed(0)}%`.padStart(13)}`,
    );
  }
  const ratio = rps(A) / rps(B);
  const p99A = pct(A.latencies, 99);
  console.log(
    `\nA/B throughput: ${(100 * ratio).toFixed(1)}% (target ≥ 20%: ${ratio >= 0.2 ? 'met' : 'MISSED'}); ` +
      `A p99 ${p99A.toFixed(1)} ms (its old target ≤ 50 ms: ${p99A <= 50 ? 'met' : 'MISSED'}; \`pnpm start\` serves REST as D)`,
  );
  const ratioD = rps(D) / rps(B);
  const p99D = pct(D.latencies, 99);
  console.log(
    `D/B throughput: ${(100 * ratioD).toFixed(1)}% (target ≥ 50%: ${ratioD >= 0.5 ? 'met' : 'MISSED'}); ` +
      `D p99 ${p99D.toFixed(1)} ms (target ≤ 100 ms: ${p99D <= 100 ? 'met' : 'MISSED'}); D/A ${(rps(D) / rps(A)).toFixed(2)}×`,
  );
  const cpuA = cpuPerReq(A.serverCpuMs, A);
  const cpuB = cpuPerReq(B.serverCpuMs, B);
  const cpuC = cpuPerReq(C.serverCpuMs, C);
  if (cpuA !== null && cpuB !== null && cpuC !== null) {
    console.log(
      `Server CPU per request: A ${cpuA.toFixed(3)} ms (Next + our handler), C ${cpuC.toFixed(3)} ms (our ` +
        `handler alone, incl. building the Request), B ${cpuB.toFixed(3)} ms (HTTP + the same database work).`,
    );
    console.log(
      cpuC < cpuA
        ? `So Next's own share of A is ≈ ${(cpuA - cpuC).toFixed(3)} ms = ${((100 * (cpuA - cpuC)) / cpuA).toFixed(0)}% ` +
            `and our code's ≈ ${((100 * cpuC) / cpuA).toFixed(0)}%.`
        : 'C costs at least as much CPU per request as A in this run, so Next adds no measurable CPU on top of our ' +
            'handler here: the difference from B is our handler (trpc-to-openapi, tRPC, zod), not Next.',
    );
    const busy = (s: Stats) =>
      s.serverCpuMs === null ? '-' : `${((100 * s.serverCpuMs) / s.elapsedMs).toFixed(0)}%`;
    console.log(
      `Server CPU busy over the window: A ${busy(A)}, B ${busy(B)}, C ${busy(C)} of one core; well below ` +
        '100% means the server waited (for the CPU on a shared machine, or for the disk), not that it was idle.',
    );
  }
  console.log(
    `One rate-limit upsert alone, sequential: ${upsertWallMs.toFixed(2)} ms wall, ${upsertCpuMs.toFixed(2)} ms CPU. ` +
      `Writes to the local file are serialized per process, so no server here can exceed ≈ ${Math.round(
        1000 / upsertWallMs,
      )} req/s while each request commits one.`,
  );
  for (const [label, s] of rows) if (s.firstError) console.error(`${label}: first error: ${s.firstError}`);
  return A.errors + B.errors + C.errors + D.errors > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error);
} finally {
  await cleanup();
}
process.exit(code);
