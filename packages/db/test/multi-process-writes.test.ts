import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { afterEach, describe, expect, test } from 'vitest';
import { createDb, migrateDb } from '../src/client';
import * as schema from '../src/schema';
import { outbox, rateLimitCounters } from '../src/schema';
import { serializeWrites } from '../src/serialize-writes';
import {
  BATCH_KEY,
  type HammerReport,
  type HammerTask,
  OUTBOX_KIND,
  TX_KEY,
  UPSERT_KEY,
} from './fixtures/hammer-shared';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'fixtures', 'hammer-writes.ts');
const ITERATIONS = 300;
const LANES = 3;
const MAX_MS = 20_000;

/** tsx runs the child's TypeScript, and so the real `createDb`. */
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
}

let dir: string | undefined;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function start(task: HammerTask, loader: string) {
  const proc = fork(child, [JSON.stringify(task)], {
    execArgv: ['--import', loader],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(proc);
  const ready = new Promise<void>((resolve, reject) => {
    proc.on('message', (m: { type: string }) => m.type === 'ready' && resolve());
    proc.once('exit', (code) => reject(new Error(`${task.name} exited with ${code} before it was ready`)));
  });
  const report = new Promise<HammerReport>((resolve, reject) => {
    proc.on(
      'message',
      (m: { type: string; report: HammerReport }) => m.type === 'report' && resolve(m.report),
    );
    proc.once('exit', (code) => reject(new Error(`${task.name} exited with ${code} without a report`)));
  });
  report.catch(() => {}); // awaited later; do not let an early exit be an unhandled rejection meanwhile
  return { proc, ready, report };
}

describe.each([
  { processes: 2, names: ['web', 'worker'] },
  { processes: 4, names: ['web-1', 'worker-1', 'web-2', 'worker-2'] },
])('$processes processes writing one libSQL file', ({ names }) => {
  test('no write fails with SQLITE_BUSY and no write is lost', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-mp-'));
    const url = `file:${path.join(dir, 'app.db')}`;
    const setup = createDb(url);
    await migrateDb(setup);
    setup.client.close();

    const loader = tsxLoader();
    const started = names.map((name) =>
      start({ url, name, iterations: ITERATIONS, lanes: LANES, maxMs: MAX_MS }, loader),
    );
    await Promise.all(started.map((s) => s.ready));
    for (const s of started) s.proc.send('go');
    const reports = await Promise.all(started.map((s) => s.report));

    const t0 = Math.min(...reports.map((r) => r.startedAt));
    console.log(
      reports
        .map(
          (r) =>
            `${r.name}: ${r.attempted} ops from +${r.startedAt - t0} ms for ${r.elapsedMs} ms (slowest ${r.slowestMs} ms): ` +
            `upserts ${r.upserts}, transactions ${r.transactions}, batches ${r.batches}, outbox ${r.outboxInserts}, ` +
            `reads ${r.reads}; SQLITE_BUSY ${r.busy}, failures ${JSON.stringify(r.failures)}`,
        )
        .join('\n'),
    );

    const sum = (pick: (r: HammerReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
    expect(sum((r) => r.busy)).toBe(0);
    expect(reports.map((r) => r.failures)).toEqual(reports.map(() => ({})));
    expect(reports.map((r) => r.attempted)).toEqual(reports.map(() => ITERATIONS));

    const check = createDb(url);
    try {
      const count = async (key: string) =>
        (
          await check.db
            .select({ count: rateLimitCounters.count })
            .from(rateLimitCounters)
            .where(eq(rateLimitCounters.key, key))
        )[0]?.count ?? 0;
      const [mails] = await check.db
        .select({ n: sql<number>`count(*)` })
        .from(outbox)
        .where(eq(outbox.kind, OUTBOX_KIND));
      expect(await count(UPSERT_KEY)).toBe(sum((r) => r.upserts));
      expect(await count(TX_KEY)).toBe(sum((r) => r.transactions));
      expect(await count(BATCH_KEY)).toBe(sum((r) => r.batches));
      expect(mails?.n).toBe(sum((r) => r.outboxInserts + r.transactions));
    } finally {
      check.client.close();
    }
  });
});

/** Another process that holds the write lock until `release` (or for `holdMs`). */
async function holdWriteLock(url: string, holdMs?: number) {
  const proc = fork(path.join(here, 'fixtures', 'hold-write-lock.ts'), [url, String(holdMs ?? '')], {
    execArgv: ['--import', tsxLoader()],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(proc);
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  await new Promise((resolve, reject) => {
    proc.once('message', resolve);
    proc.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return { release: () => proc.send('release'), exited };
}

test('writes of every kind wait out another process holding the write lock', {
  timeout: 30_000,
}, async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-mp-'));
  const url = `file:${path.join(dir, 'app.db')}`;
  const handle = createDb(url);
  try {
    await migrateDb(handle);
    const { db } = handle;
    const mail = (to: string) => ({ kind: OUTBOX_KIND, to, subject: 's', text: 't', createdAt: new Date() });
    const writes = {
      // Two reads at once borrow two connections; the write then gets whichever came back last.
      'a write after concurrent reads': async () => {
        await Promise.all([db.select().from(outbox), db.select().from(rateLimitCounters)]);
        await db.insert(outbox).values(mail('plain@example.com'));
      },
      // drizzle's db.batch asks for no mode, and libSQL's default for a batch is BEGIN DEFERRED.
      'a batch that reads, then writes': () =>
        db.batch([db.select().from(outbox), db.insert(outbox).values(mail('batch@example.com'))]),
      'a transaction that reads, then writes': () =>
        db.transaction(async (tx) => {
          await tx.select().from(outbox);
          await tx.insert(outbox).values(mail('tx@example.com'));
        }),
    };
    const outcomes: Record<string, string> = {};
    for (const [name, write] of Object.entries(writes)) {
      const holder = await holdWriteLock(url, 300);
      outcomes[name] = await write().then(
        () => 'ok',
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
      await holder.exited;
    }
    expect(outcomes).toEqual({
      'a write after concurrent reads': 'ok',
      'a batch that reads, then writes': 'ok',
      'a transaction that reads, then writes': 'ok',
    });
    expect(await db.select({ to: outbox.to }).from(outbox).orderBy(outbox.to)).toEqual([
      { to: 'batch@example.com' },
      { to: 'plain@example.com' },
      { to: 'tx@example.com' },
    ]);
  } finally {
    handle.client.close();
  }
});

test('a write that timed out on SQLITE_BUSY leaves no lock behind', { timeout: 30_000 }, async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-mp-'));
  const url = `file:${path.join(dir, 'app.db')}`;
  const setup = createDb(url);
  await migrateDb(setup);
  setup.client.close();
  // createDb's clients, with a short busy timeout so the test need not wait out the real one.
  const writer = createClient({ url, timeout: 50, concurrency: 1 });
  const client = serializeWrites(writer, {
    reader: createClient({ url, timeout: 50 }),
    setup: 'PRAGMA synchronous = NORMAL;',
  });
  const db = drizzle(client, { schema });
  const mail = (to: string) => ({ kind: OUTBOX_KIND, to, subject: 's', text: 't', createdAt: new Date() });
  const failure = (work: Promise<unknown>) =>
    work.then(
      () => 'succeeded',
      (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
    );

  try {
    const holder = await holdWriteLock(url);
    expect(await failure(db.insert(outbox).values(mail('blocked@example.com')))).toMatch(
      /database is locked/,
    );
    expect(await failure(db.transaction(async () => {}))).toMatch(/database is locked/);
    holder.release();
    await holder.exited;

    await db.insert(outbox).values(mail('after@example.com'));
    // Committed, and the lock is free again: another connection can write at once.
    const other = createClient({ url, timeout: 200 });
    try {
      await other.execute({
        sql: 'insert into outbox (id, kind, "to", subject, text, created_at) values (?, ?, ?, ?, ?, ?)',
        args: ['other', OUTBOX_KIND, 'other@example.com', 's', 't', Date.now()],
      });
      const rows = await other.execute('select "to" from outbox order by "to"');
      expect(rows.rows.map((r) => r.to)).toEqual(['after@example.com', 'other@example.com']);
    } finally {
      other.close();
    }
  } finally {
    client.close();
  }
});
