/**
 * Screenshots of every page at 1280 and 375 px wide, light and dark, with a contact sheet (index.html)
 * to look them over in one place. They land in SCREENSHOTS_DIR (e2e/artifacts/screenshots/ by default),
 * named `<page>-<width>-<light|dark>.png`; CI keeps the folder. No worker runs here: the running agent,
 * the failed run and the host's samples are written as the worker leaves them (docs/ARCHITECTURE.md,
 * "Runs and steps" and "Hosts"), straight into the app's libSQL file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { timeOrderedId } from '@pocket-smyth/db';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppServer, startApp } from '../src/app-server';
import { launchBrowser, signInWithMagicLink } from '../src/browser';
import { insertFailedRun, onboardThroughApi, showColorScheme, viewports } from '../src/page-checks';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** A relative SCREENSHOTS_DIR is from the repository's root, as .ci/run reads it. */
const screenshotsDir = path.resolve(repoRoot, process.env.SCREENSHOTS_DIR ?? 'e2e/artifacts/screenshots');
const widths = [viewports.desktop, viewports.mobile] as const;
const schemes = ['light', 'dark'] as const;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const failedRunMessage = 'provision: docker: no space left on device (exit 125)';

let app: AppServer;
let browser: Browser;
let anonymous: BrowserContext;
/** Signed in, not onboarded yet. */
let newcomer: BrowserContext;
/** Onboarded, waiting for approval. */
let waiting: BrowserContext;
/** Approved, with a running agent. */
let person: BrowserContext;
let admin: BrowserContext;
let personId = '';
let adminId = '';

/** Screenshots in one zone whatever the machine's, and the same every run. */
const utc = { timezoneId: 'UTC' } as const;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  anonymous = await browser.newContext(utc);
  newcomer = await browser.newContext(utc);
  waiting = await browser.newContext(utc);
  person = await browser.newContext(utc);
  admin = await browser.newContext(utc);
  // The first person on a fresh install is the admin.
  await onboardThroughApi(app, admin, 'shot-admin@example.com', 'shotadmin', { timeZone: 'UTC' });
  await onboardThroughApi(app, person, 'shot-person@example.com', 'shotperson', {
    displayName: 'Pat Person',
    timeZone: 'UTC',
  });
  await onboardThroughApi(app, waiting, 'shot-waiting@example.com', 'shotwaiting', { timeZone: 'UTC' });
  const page = await newcomer.newPage();
  await signInWithMagicLink(page, app.baseUrl, 'shot-new@example.com', app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  await page.close();

  const users = (await (await admin.request.get(`${app.baseUrl}/api/users`)).json()) as {
    items: { id: string; username: string }[];
  };
  personId = users.items.find((u) => u.username === 'shotperson')!.id;
  adminId = users.items.find((u) => u.username === 'shotadmin')!.id;
  const approved = await admin.request.post(`${app.baseUrl}/api/users/${personId}/approve`, {
    headers: { origin: app.baseUrl },
  });
  expect(approved.status()).toBe(200);
  const host = await admin.request.post(`${app.baseUrl}/api/hosts`, {
    data: { name: 'local', transport: 'local' },
    headers: { origin: app.baseUrl },
  });
  expect(host.status(), await host.text()).toBe(200);
  await writeTheWorkersState(((await host.json()) as { id: string }).id);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * The person's agent ran its provision and is running, with an hour of samples; the admin's own failed
 * (so the overview has something that needs attention); the host has five hours of samples.
 */
async function writeTheWorkersState(hostId: string): Promise<void> {
  const db = createClient({ url: `file:${path.join(app.dataDir, 'app.db')}` });
  try {
    const now = Date.now();
    const agentId = String(
      (
        await db.execute({
          sql: 'select agents.id from agents join users on users.id = agents.user_id where users.username = ?',
          args: ['shotperson'],
        })
      ).rows[0]!.id,
    );
    const at = now - 600_000;
    const runId = timeOrderedId(at);
    await db.execute({
      sql: `insert into runs (id, agent_id, username, kind, status, created_at, started_at, ended_at, updated_at)
              values (?, ?, 'shotperson', 'provision', 'succeeded', ?, ?, ?, ?)`,
      args: [runId, agentId, at, at, at + 40_000, at + 40_000],
    });
    const steps = ['place on host', 'run provision script', 'wait for health', 'send email'];
    for (const [position, name] of steps.entries()) {
      await db.execute({
        sql: `insert into run_steps (id, run_id, position, name, status, attempts, output_tail, started_at, ended_at)
                values (?, ?, ?, ?, 'succeeded', 1, '', ?, ?)`,
        args: [
          `${runId}-${position}`,
          runId,
          position,
          name,
          at + position * 10_000,
          at + position * 10_000 + 8_000,
        ],
      });
    }
    await db.execute({
      sql: 'update agents set host_id = ?, observed_state = ?, observed_at = ?, updated_at = ? where id = ?',
      args: [hostId, 'running', at + 40_000, at + 40_000, agentId],
    });
    const MiB = 1024 ** 2;
    for (let minutesAgo = 9; minutesAgo >= 0; minutesAgo--) {
      await db.execute({
        sql: `insert into agent_samples (agent_id, at, cpu_percent, memory_bytes, observed_state)
                values (?, ?, ?, ?, 'running')`,
        args: [agentId, now - minutesAgo * 60_000, 2 + (minutesAgo % 3), (150 + minutesAgo * 4) * MiB],
      });
    }

    const GiB = 1024 ** 3;
    for (let minutesAgo = 300; minutesAgo >= 0; minutesAgo -= 5) {
      await db.execute({
        sql: `insert into host_samples (host_id, at, cpu_percent, memory_used_bytes, memory_total_bytes,
                disk_used_bytes, disk_total_bytes) values (?, ?, ?, ?, ?, ?, ?)`,
        args: [
          hostId,
          now - minutesAgo * 60_000,
          10 + ((minutesAgo / 5) % 7) * 5,
          (2 + ((minutesAgo / 5) % 4) * 0.5) * GiB,
          8 * GiB,
          50 * GiB,
          100 * GiB,
        ],
      });
    }
    await db.execute({
      sql: 'update hosts set last_stats = ?, last_seen_at = ? where id = ?',
      args: [
        JSON.stringify({
          cpuPercent: 25,
          memoryUsedBytes: 3 * GiB,
          memoryTotalBytes: 8 * GiB,
          diskUsedBytes: 50 * GiB,
          diskTotalBytes: 100 * GiB,
          agentsRunning: 1,
        }),
        now,
        hostId,
      ],
    });
  } finally {
    db.close();
  }
  await insertFailedRun(app.dataDir, 'shotadmin', failedRunMessage);
}

interface Shot {
  name: string;
  context: () => BrowserContext;
  path: () => string;
  /** Waits until the page shows what it is about (and brings it to the state to show). */
  ready: (page: Page) => Promise<unknown>;
}

const heading = (text: string | RegExp) => (page: Page) =>
  page.getByRole('heading', { name: text }).first().waitFor();

const shots: Shot[] = [
  {
    name: 'signin',
    context: () => anonymous,
    path: () => '/signin',
    ready: heading('Sign in to Pocket Smyth'),
  },
  {
    name: 'check-email',
    context: () => anonymous,
    path: () => '/signin/check-email',
    ready: heading('Check your email'),
  },
  {
    name: 'onboarding',
    context: () => newcomer,
    path: () => '/onboarding',
    ready: heading('Welcome to Pocket Smyth'),
  },
  { name: 'pending', context: () => waiting, path: () => '/pending', ready: heading('Waiting for approval') },
  {
    name: 'dashboard',
    context: () => person,
    path: () => '/',
    ready: async (page) => {
      await heading(/Hello/)(page);
      await expect.poll(() => page.getByTestId('agent-observed-state').textContent()).toBe('running');
    },
  },
  {
    name: 'admin-overview',
    context: () => admin,
    path: () => '/admin',
    ready: (page) =>
      page
        .getByRole('region', { name: 'Needs attention' })
        .getByRole('link', { name: 'shotadmin' })
        .waitFor(),
  },
  {
    name: 'admin-approvals',
    context: () => admin,
    path: () => '/admin/approvals',
    ready: (page) => page.getByLabel('Select shotwaiting').waitFor(),
  },
  {
    name: 'admin-people',
    context: () => admin,
    path: () => '/admin/people',
    ready: (page) => page.getByRole('link', { name: 'shotperson' }).waitFor(),
  },
  {
    name: 'admin-agents',
    context: () => admin,
    path: () => '/admin/agents',
    ready: (page) => page.getByLabel('Select shotperson').waitFor(),
  },
  {
    name: 'admin-person',
    context: () => admin,
    path: () => `/admin/people/${personId}`,
    ready: heading(/shotperson/),
  },
  {
    name: 'admin-hosts',
    context: () => admin,
    path: () => '/admin/hosts',
    ready: (page) =>
      page
        .getByRole('img', { name: /^CPU over the last hour, now/ })
        .first()
        .waitFor(),
  },
  {
    // The host's history: its card's charts over the last 6 hours.
    name: 'admin-host-history',
    context: () => admin,
    path: () => '/admin/hosts',
    ready: async (page) => {
      await page.getByRole('button', { name: '6 h' }).first().click();
      await page
        .getByRole('img', { name: /^CPU over the last 6 hours/ })
        .first()
        .waitFor();
    },
  },
  {
    name: 'admin-activity',
    context: () => admin,
    path: () => '/admin/activity',
    ready: (page) => page.locator('tr[data-action]').first().waitFor(),
  },
  { name: 'admin-outbox', context: () => admin, path: () => '/admin/outbox', ready: heading('Mail outbox') },
  { name: 'admin-rollouts', context: () => admin, path: () => '/admin/rollouts', ready: heading('Rollouts') },
  { name: 'admin-plans', context: () => admin, path: () => '/admin/plans', ready: heading('Plans') },
  { name: 'admin-usage', context: () => admin, path: () => '/admin/usage', ready: heading('Usage') },
  {
    // There is no page of a run's own: a failed run's detail (step, error, output) is on its person's page.
    name: 'admin-run-failed',
    context: () => admin,
    path: () => `/admin/people/${adminId}`,
    ready: (page) => page.getByRole('region', { name: 'Runs' }).getByText(failedRunMessage).first().waitFor(),
  },
  { name: 'api-docs', context: () => admin, path: () => '/api/docs', ready: heading('Pocket Smyth API') },
  {
    name: 'not-found',
    context: () => person,
    path: () => '/no-such-page',
    ready: heading('There is nothing here'),
  },
];

const fileName = (shot: string, width: number, scheme: string) => `${shot}-${width}-${scheme}.png`;
const expectedFiles = shots.flatMap((s) =>
  widths.flatMap((w) => schemes.map((scheme) => fileName(s.name, w.width, scheme))),
);

/** Lets layout, resize observers and transitions settle after a change of size or colour scheme. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.waitForTimeout(150);
}

function contactSheet(): string {
  const rows = shots
    .map((s) => {
      const cells = widths
        .flatMap((w) =>
          schemes.map((scheme) => {
            const file = fileName(s.name, w.width, scheme);
            return `<figure class="w${w.width}"><a href="${file}"><img src="${file}" alt="${s.name} at ${w.width} px, ${scheme}" loading="lazy"></a><figcaption>${w.width} px · ${scheme}</figcaption></figure>`;
          }),
        )
        .join('\n');
      return `<section id="${s.name}"><h2>${s.name} <code>${s.path()}</code></h2><div class="row">\n${cells}\n</div></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pocket Smyth screenshots</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; background: #f4f4f5; color: #18181b; }
  nav a { margin-right: .75rem; }
  section { margin: 2rem 0; }
  h2 { font-size: 1.1rem; }
  .row { display: flex; gap: 1rem; align-items: flex-start; overflow-x: auto; }
  figure { margin: 0; flex: none; }
  figure.w1280 img { width: 320px; }
  figure.w375 img { width: 140px; }
  img { border: 1px solid #d4d4d8; display: block; }
  figcaption { color: #52525b; font-size: 12px; }
</style>
</head>
<body>
<h1>Pocket Smyth: every page at 1280 and 375 px, light and dark</h1>
<p>Taken ${new Date().toISOString()}. Click a picture for the full size.</p>
<nav>${shots.map((s) => `<a href="#${s.name}">${s.name}</a>`).join(' ')}</nav>
${rows}
</body>
</html>
`;
}

test('every page at 1280 and 375 px wide, light and dark, and a contact sheet', async () => {
  mkdirSync(screenshotsDir, { recursive: true });
  // Only what an earlier run of this test wrote: the folder may be one the caller chose.
  for (const file of readdirSync(screenshotsDir)) {
    if (/-(1280|375)-(light|dark)\.png$/.test(file) || file === 'index.html') {
      rmSync(path.join(screenshotsDir, file));
    }
  }

  for (const shot of shots) {
    const page = await shot.context().newPage();
    await page.setViewportSize(viewports.desktop);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${app.baseUrl}${shot.path()}`);
    await shot.ready(page);
    for (const viewport of widths) {
      await page.setViewportSize(viewport);
      for (const scheme of schemes) {
        await showColorScheme(page, scheme);
        await settle(page);
        await page.screenshot({
          path: path.join(screenshotsDir, fileName(shot.name, viewport.width, scheme)),
          fullPage: true,
        });
      }
    }
    await page.close();
  }
  writeFileSync(path.join(screenshotsDir, 'index.html'), contactSheet());

  // Every file is there and is a PNG with something in it.
  const bad = expectedFiles.filter((file) => {
    const full = path.join(screenshotsDir, file);
    if (!existsSync(full)) return true;
    const bytes = readFileSync(full);
    return bytes.length <= PNG_SIGNATURE.length || !bytes.subarray(0, 8).equals(PNG_SIGNATURE);
  });
  expect(bad, `missing or not a PNG in ${screenshotsDir}`).toEqual([]);
  expect(expectedFiles.length).toBe(shots.length * 4);
  const sheet = readFileSync(path.join(screenshotsDir, 'index.html'), 'utf8');
  for (const file of expectedFiles) expect(sheet).toContain(`src="${file}"`);
}, 120_000);
