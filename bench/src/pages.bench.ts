/**
 * Page weight and paint (issue 5): for the person's dashboard and the admin overview, served by the
 * production build, measure in headless Chromium on localhost
 *   - first-load JavaScript: every script the page downloads on a cold load, gzip-compressed here
 *     (the size a compressing proxy would send), summed;
 *   - largest contentful paint and cumulative layout shift, from the browser's own PerformanceObserver.
 * Each page is loaded 5 times in a fresh context (cold cache) and the median is reported, with the
 * JavaScript compared to a baseline measured the same way: a static page of the same build
 * (/signin/check-email), i.e. Next's and React's own runtime plus the root layout; and to a floor: the
 * smallest App Router app (bench/next-floor: a layout and a heading), built here with the same Next and
 * React, which is what any page of any Next app downloads at least. `PAGES_BENCH_FILES=1` lists every file.
 * Targets: ≤ 130 kB gzip first-load JS per page; LCP ≤ 1.0 s; CLS ≤ 0.05. Reports only.
 * Uses the existing build (apps/web/.next); run `pnpm --filter @pocket-smyth/web build` first.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { freePort, startApp } from '../../e2e/src/app-server';
import { launchBrowser, signInWithMagicLink } from '../../e2e/src/browser';

const ROUNDS = 5;

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
  // The first person is the admin; a second, approved, owns the dashboard.
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signInWithMagicLink(adminPage, app.baseUrl, 'bench-admin@example.com', app.magicLinkFor);
  await adminPage.waitForURL('**/onboarding');
  await admin.request.post(`${app.baseUrl}/api/me/onboarding`, { data: { username: 'benchadmin' } });
  const person = await browser.newContext();
  const personPage = await person.newPage();
  await signInWithMagicLink(personPage, app.baseUrl, 'bench-person@example.com', app.magicLinkFor);
  await personPage.waitForURL('**/onboarding');
  await person.request.post(`${app.baseUrl}/api/me/onboarding`, { data: { username: 'benchperson' } });
  const pending = (await (await admin.request.get(`${app.baseUrl}/api/users?status=pending`)).json()) as {
    items: { id: string }[];
  };
  await admin.request.post(`${app.baseUrl}/api/users/${pending.items[0]!.id}/approve`);

  // The baseline: a static page of the same build with no data and no client code of ours beyond the
  // root layout, i.e. what Next and React cost before the app adds anything.
  const pages = [
    { name: 'floor (any Next)', context: await browser.newContext(), url: floor.url },
    { name: 'baseline (static)', context: person, url: `${app.baseUrl}/signin/check-email` },
    { name: 'dashboard', context: person, url: `${app.baseUrl}/` },
    { name: 'admin overview', context: admin, url: `${app.baseUrl}/admin` },
  ];
  let floorJs = 0;
  let baselineJs = 0;
  console.log(
    'page               first-load JS (gzip)   files   LCP (median)   CLS (median)   JS vs baseline and floor',
  );
  for (const p of pages) {
    await measure(browser, p.context, p.url); // warm the server's own caches, not the browser's
    const samples: Sample[] = [];
    for (let i = 0; i < ROUNDS; i++) samples.push(await measure(browser, p.context, p.url));
    const js = median(samples.map((s) => s.jsGzipBytes));
    const lcp = median(samples.map((s) => s.lcpMs));
    const cls = median(samples.map((s) => s.cls));
    const compared = (base: number) => `+${((js - base) / 1024).toFixed(1)} kB, ${(js / base).toFixed(2)}×`;
    let overBaseline: string;
    if (floorJs === 0) {
      floorJs = js;
      overBaseline = 'floor';
    } else if (baselineJs === 0) {
      baselineJs = js;
      overBaseline = `baseline; floor ${compared(floorJs)}`;
    } else {
      overBaseline = `baseline ${compared(baselineJs)}; floor ${compared(floorJs)}`;
    }
    console.log(
      `${p.name.padEnd(18)} ${`${(js / 1024).toFixed(1)} kB`.padStart(10)} ${js <= 130 * 1024 ? '(≤130 ok) ' : '(>130 !)  '}` +
        `${String(samples[0]?.jsFiles ?? 0).padStart(6)}   ${`${lcp.toFixed(0)} ms`.padStart(8)} ${lcp <= 1000 ? 'ok' : '!'}   ` +
        `${cls.toFixed(3).padStart(8)} ${cls <= 0.05 ? 'ok' : '!'}   (${overBaseline})`,
    );
    // PAGES_BENCH_FILES=1 lists what the page downloaded, largest first, to see where the weight is.
    if (process.env.PAGES_BENCH_FILES) {
      for (const f of [...(samples[0]?.files ?? [])].sort((a, b) => b.gzip - a.gzip)) {
        console.log(`    ${`${(f.gzip / 1024).toFixed(1)} kB`.padStart(9)}  ${new URL(f.url).pathname}`);
      }
    }
  }
} finally {
  await browser.close();
  floor.stop();
  await app.stop();
}
