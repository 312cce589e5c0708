import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { RacerReport, RacerTask } from './fixtures/start-up-racer';

/**
 * Scaling out starts several instances at once on the same databases. Each round here starts two web
 * start-ups and two workers at the same moment on a fresh libSQL file and a fresh queue database
 * (docs/ARCHITECTURE.md, "Two databases"): every one must come up, and their writes right after must
 * meet no SQLITE_BUSY. START_UP_RACE_ROUNDS sets the rounds (default 20).
 */
const ROUNDS = Number(process.env.START_UP_RACE_ROUNDS ?? 20);
const racer = path.join(import.meta.dirname, 'fixtures', 'start-up-racer.ts');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function startRacer(task: RacerTask) {
  const proc = fork(racer, [JSON.stringify(task)], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(proc);
  const ready = new Promise<void>((resolve, reject) => {
    proc.on('message', (m: { type: string }) => m.type === 'ready' && resolve());
    proc.once('exit', (code) => reject(new Error(`${task.name} exited with ${code} before it was ready`)));
  });
  const report = new Promise<RacerReport>((resolve, reject) => {
    proc.on(
      'message',
      (m: { type: string; report: RacerReport }) => m.type === 'report' && resolve(m.report),
    );
    proc.once('exit', (code) => reject(new Error(`${task.name} exited with ${code} without a report`)));
  });
  report.catch(() => {});
  return { proc, ready, report };
}

describe('four instances starting at once', () => {
  it(`come up every time (${ROUNDS} rounds of two web start-ups and two workers) and write without SQLITE_BUSY`, {
    timeout: ROUNDS * 30_000,
  }, async () => {
    const admin = await testPostgresUrl();
    const failures: string[] = [];
    let started = 0;
    let busy = 0;
    let writes = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const database = await createScratchDatabase(admin, `race${round}`);
      const dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-race-'));
      try {
        const racers = (['web', 'web', 'worker', 'worker'] as const).map((role, i) =>
          startRacer({
            role,
            name: `${role}-${i}`,
            databaseUrl: database.url,
            libsqlUrl: `file:${path.join(dir, 'app.db')}`,
            dataDir: dir,
            writes: 40,
          }),
        );
        // Every process has loaded its code before any starts up: the race is the start-up itself.
        await Promise.all(racers.map((r) => r.ready));
        for (const r of racers) r.proc.send('go');
        for (const report of await Promise.all(racers.map((r) => r.report))) {
          if (report.started) started++;
          else failures.push(`round ${round}, ${report.name}: ${report.error}`);
          busy += report.busy;
          writes += report.writes;
          for (const f of report.failures) failures.push(`round ${round}, ${report.name} write: ${f}`);
        }
      } finally {
        for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    console.info(`[start-up race] ${started}/${ROUNDS * 4} started, ${writes} writes, SQLITE_BUSY ${busy}`);
    expect(failures).toEqual([]);
    expect(busy).toBe(0);
    expect(started).toBe(ROUNDS * 4);
  });
});
