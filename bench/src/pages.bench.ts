/**
 * Page weight and paint (issue 5, "Scale and speed"): for every page a person or an admin can reach,
 * served by the production build, measure in headless Chromium on localhost
 *   - first-load JavaScript: every script the page downloads on a cold load, gzip-compressed here
 *     (the size a compressing proxy would send), summed;
 *   - largest contentful paint and cumulative layout shift, from the browser's own PerformanceObserver.
 * Each page is loaded once to warm the server, then ROUNDS times in a fresh context (cold cache), and the
 * median is reported, with the JavaScript compared to the floor, measured the same way in the same run:
 * the smallest App Router app (bench/next-floor: a layout and a heading), built here with the same Next
 * and React, which is what any page of any Next app downloads at least. A static page of the same build
 * (/signin/check-email: Next, React and the root layout) is shown beside it as the app's own baseline.
 * Target: every page ≤ 1.10× the floor (pages above are flagged "!"); LCP ≤ 1.0 s; CLS ≤ 0.05.
 * Reports only. `PAGES_BENCH_FILES=1` lists every file; `PAGES_BENCH_ONLY=word` measures only the pages
 * whose name contains it (plus the floor).
 * Uses the existing build (apps/web/.next); run `pnpm --filter @pocket-smyth/web build` first.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { freePort, startApp } from '../../e2e/src/app-server';
import { launchBrowser, signInWithMagicLink } from '../../e2e/src/browser';

const ROUNDS = 3;
/** The issue's target: first-load JS of every page at most this many times the floor's. */
const TARGET_RATIO = 1.1;

interface Sample {
  jsGzipBytes: number;
  jsFiles: number;
  lcpMs: number;
  cls: number;
  files: { url: string; gzip: number }[];
}

async function measure(browser: Browser, cookiesFrom: BrowserContext, url: string): Promise<Sample> {
  const context = await browser.newContext({ storageState: await cookiesFrom.storageState() });
  const page = await context.newPage();
  const scripts: Promise<{ url: string; gzip: number }>[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script') {
      scripts.push(
        res.body().then(
          (b) => ({ url: res.url(), gzip: gzipSync(b).byteLength }),
          () => ({ url: res.url(), gzip: 0 }),
        ),
      );
    }
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    w.__lcp = 0;
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
      })[]) {
        if (!e.hadRecentInput) w.__cls += e.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  const { lcp, cls } = await page.evaluate(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    return { lcp: w.__lcp, cls: w.__cls };
  });
  const files = await Promise.all(scripts);
  await context.close();
  return {
    jsGzipBytes: files.reduce((a, f) => a + f.gzip, 0),
    jsFiles: files.length,
    lcpMs: lcp,
    cls,
    files,
  };
}

/** Builds bench/next-floor with this workspace's Next and serves it with `next start`. */
async function startFloorApp(): Promise<{ url: string; stop(): void }> {
  const dir = path.resolve(import.meta.dirname, '..', 'next-floor');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const };
  const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: dir, env, encoding: 'utf8' });
  if (build.status !== 0)
    throw new Error(`next build of the floor app failed:\n${build.stdout}${build.stderr}`);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [nextBin, 'start', '--port', String(port)], {
    cwd: dir,
    env,
    stdio: 'ignore',
  });
  const url = `http://localhost:${port}/`;
  for (let i = 0; i < 120; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('the floor app did not answer');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const app = await startApp();
const floor = await startFloorApp();
const browser = await launchBrowser();
try {
  const origin = { origin: app.baseUrl };
  /** Signs a new person in through the magic link; they land on /onboarding. */
  const signIn = async (email: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithMagicLink(page, app.baseUrl, email, app.magicLinkFor);
    await page.waitForURL('**/onboarding');
    await page.close();
    return context;
  };
  const onboard = async (context: BrowserContext, username: string) => {
    const res = await context.request.post(`${app.baseUrl}/api/me/onboarding`, {
      data: { username },
      headers: origin,
    });
    if (!res.ok()) throw new Error(`onboarding ${username}: ${res.status()} ${await res.text()}`);
  };
  // The first person is the admin; "person" is approved and owns the dashboard; "waiting" asked and waits
  // (the approval queue lists them); "newcomer" signed in and has not chosen a username yet.
  const admin = await signIn('bench-admin@example.com');
  await onboard(admin, 'benchadmin');
  const person = await signIn('bench-person@example.com');
  await onboard(person, 'benchperson');
  const waiting = await signIn('bench-waiting@example.com');
  await onboard(waiting, 'benchwaiting');
  const newcomer = await signIn('bench-newcomer@example.com');
  const listed = (await (await admin.request.get(`${app.baseUrl}/api/users?status=pending`)).json()) as {
    items: { id: string; username: string | null }[];
  };
  const personId = listed.items.find((u) => u.username === 'benchperson')?.id;
  if (!personId) throw new Error(`benchperson is not pending: ${JSON.stringify(listed)}`);
  const approved = await admin.request.post(`${app.baseUrl}/api/users/${personId}/approve`, {
    headers: origin,
  });
  if (!approved.ok()) throw new Error(`approve: ${approved.status()} ${await approved.text()}`);
  const anonymous = await browser.newContext();

  // The status screens for a refused or revoked person are /pending too (the same client code).
  const pages = [
    { name: 'floor (any Next)', context: anonymous, url: floor.url },
    { name: 'baseline (static)', context: anonymous, url: `${app.baseUrl}/signin/check-email` },
    { name: 'sign-in', context: anonymous, url: `${app.baseUrl}/signin` },
    { name: 'not found', context: anonymous, url: `${app.baseUrl}/no-such-page` },
    { name: 'onboarding', context: newcomer, url: `${app.baseUrl}/onboarding` },
    { name: 'pending', context: waiting, url: `${app.baseUrl}/pending` },
    { name: 'dashboard', context: person, url: `${app.baseUrl}/` },
    { name: 'admin overview', context: admin, url: `${app.baseUrl}/admin` },
    { name: 'admin approvals', context: admin, url: `${app.baseUrl}/admin/approvals` },
    { name: 'admin people', context: admin, url: `${app.baseUrl}/admin/people` },
    { name: 'admin person', context: admin, url: `${app.baseUrl}/admin/people/${personId}` },
    { name: 'admin hosts', context: admin, url: `${app.baseUrl}/admin/hosts` },
    { name: 'admin activity', context: admin, url: `${app.baseUrl}/admin/activity` },
    { name: 'admin outbox', context: admin, url: `${app.baseUrl}/admin/outbox` },
    { name: 'admin agents', context: admin, url: `${app.baseUrl}/admin/agents` },
    { name: 'admin plans', context: admin, url: `${app.baseUrl}/admin/plans` },
    { name: 'admin rollouts', context: admin, url: `${app.baseUrl}/admin/rollouts` },
    { name: 'admin usage', context: admin, url: `${app.baseUrl}/admin/usage` },
    { name: 'API docs', context: admin, url: `${app.baseUrl}/api/docs` },
  ].filter(
    (p, i) => i === 0 || !process.env.PAGES_BENCH_ONLY || p.name.includes(process.env.PAGES_BENCH_ONLY),
  );

  let floorJs = 0;
  const over: string[] = [];
  console.log(
    `page                first-load JS (gzip)   vs floor (≤${TARGET_RATIO.toFixed(2)}×)   files   LCP (median)   CLS (median)`,
  );
  for (const p of pages) {
    await measure(browser, p.context, p.url); // warm the server's own caches, not the browser's
    const samples: Sample[] = [];
    for (let i = 0; i < ROUNDS; i++) samples.push(await measure(browser, p.context, p.url));
    const js = median(samples.map((s) => s.jsGzipBytes));
    const lcp = median(samples.map((s) => s.lcpMs));
    const cls = median(samples.map((s) => s.cls));
    if (floorJs === 0) floorJs = js;
    const ratio = js / floorJs;
    const ok = ratio <= TARGET_RATIO + 1e-9;
    if (!ok) over.push(`${p.name} ${ratio.toFixed(2)}×`);
    const vsFloor =
      floorJs === js && p.name.startsWith('floor') ? 'floor' : `${ratio.toFixed(2)}× ${ok ? 'ok' : '!'}`;
    console.log(
      `${p.name.padEnd(19)} ${`${(js / 1024).toFixed(1)} kB`.padStart(10)}  ${`+${((js - floorJs) / 1024).toFixed(1)} kB`.padStart(10)}   ` +
        `${vsFloor.padEnd(16)} ${String(samples[0]?.jsFiles ?? 0).padStart(6)}   ${`${lcp.toFixed(0)} ms`.padStart(8)} ${lcp <= 1000 ? 'ok' : '!'}   ` +
        `${cls.toFixed(3).padStart(8)} ${cls <= 0.05 ? 'ok' : '!'}`,
    );
    // PAGES_BENCH_FILES=1 lists what the page downloaded, largest first, to see where the weight is.
    if (process.env.PAGES_BENCH_FILES) {
      for (const f of [...(samples[0]?.files ?? [])].sort((a, b) => b.gzip - a.gzip)) {
        console.log(`    ${`${(f.gzip / 1024).toFixed(1)} kB`.padStart(9)}  ${new URL(f.url).pathname}`);
      }
    }
  }
  console.log(
    over.length === 0
      ? `every page ≤ ${TARGET_RATIO.toFixed(2)}× the floor (${(floorJs / 1024).toFixed(1)} kB)`
      : `over ${TARGET_RATIO.toFixed(2)}× the floor (${(floorJs / 1024).toFixed(1)} kB): ${over.join(', ')}`,
  );
} finally {
  await browser.close();
  floor.stop();
  await app.stop();
}
