/**
 * Running agents, with every part real (production web server, worker, embedded Postgres, the local host
 * running sample-agent processes): readiness says when a worker is missing; a person stops and starts
 * their own agent from the dashboard; an admin restarts many agents at once from the Agents page.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppServer, startApp } from '../src/app-server';
import { launchBrowser } from '../src/browser';
import { browserErrors, horizontalOverflow, onboardedContext } from '../src/page-checks';
import { startWorker, type WorkerProcess } from '../src/worker-process';

let app: AppServer;
let worker: WorkerProcess | undefined;
let browser: Browser;
let agentStateDir: string;
/** The control test's admin (the first to sign in), kept for the logs test. */
let adminContext: BrowserContext | undefined;

interface Readiness {
  status: string;
  checks: Record<string, { ok: boolean; ms: number; detail?: string | null; error?: string }>;
}

async function ready(): Promise<{ status: number; body: Readiness }> {
  const res = await fetch(`${app.baseUrl}/api/health/ready`);
  return { status: res.status, body: (await res.json()) as Readiness };
}

beforeAll(async () => {
  agentStateDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-agents-'));
  // The metrics test's admin is one by ADMIN_EMAILS: the first to sign in (the control test's) is the other.
  app = await startApp({ AGENT_STATE_DIR: agentStateDir, ADMIN_EMAILS: 'metrics-admin@example.com' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.stop();
  rmSync(agentStateDir, { recursive: true, force: true });
});

test('readiness: 503 naming the missing worker, 200 once one beats; liveness never asks a database', async () => {
  expect((await fetch(`${app.baseUrl}/api/health`)).status).toBe(200);
  const before = await ready();
  expect(before.status).toBe(503);
  expect(before.body.status).toBe('not_ready');
  expect(before.body.checks.libsql?.ok).toBe(true);
  expect(before.body.checks.postgres?.ok).toBe(true);
  expect(before.body.checks.migrations).toMatchObject({ ok: true, detail: '0 pending' });
  expect(before.body.checks.worker).toMatchObject({ ok: false, detail: 'no worker has started' });

  worker = startWorker(app, agentStateDir);
  await expect.poll(async () => (await ready()).status, { timeout: 60_000, interval: 1_000 }).toBe(200);
  expect((await ready()).body.checks.worker?.detail).toMatch(/^last heartbeat \d+ s ago$/);
});

const signUp = (email: string, username: string) => onboardedContext(browser, app, email, username);

interface AgentRow {
  id: string;
  username: string;
  observedState: string;
  desiredState: string;
  lastRun: { kind: string; status: string } | null;
}

test('a person stops and starts their agent; an admin restarts many from the Agents page', {
  timeout: 300_000,
}, async () => {
  expect(worker, 'the readiness test starts the worker').toBeDefined();
  const admin = await signUp('control-admin@example.com', 'ctladmin');
  adminContext = admin;
  const people = await Promise.all([signUp('ada@example.com', 'ada'), signUp('bob@example.com', 'bob')]);
  const pending = (await (await admin.request.get(`${app.baseUrl}/api/users?status=pending`)).json()) as {
    items: { id: string }[];
  };
  const approved = await admin.request.post(`${app.baseUrl}/api/users/approve`, {
    data: { ids: pending.items.map((p) => p.id) },
    headers: { origin: app.baseUrl },
  });
  expect(approved.status(), await approved.text()).toBe(200);
  const agents = async () =>
    (await (await admin.request.get(`${app.baseUrl}/api/agents`)).json()) as AgentRow[];
  await expect
    .poll(async () => (await agents()).map((a) => `${a.username}:${a.observedState}`).sort(), {
      timeout: 120_000,
      interval: 1_000,
    })
    .toEqual(['ada:running', 'bob:running', 'ctladmin:running']);

  // Ada stops her agent from the dashboard, confirmed; the card and the timeline follow the run.
  const page = await people[0]!.newPage();
  const errors = browserErrors(page);
  await page.goto(app.baseUrl);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Stop your agent?' })
    .getByRole('button', { name: 'Stop agent' })
    .click();
  await expect.poll(() => page.getByTestId('agent-desired-state').textContent()).toBe('stopped');
  await expect
    .poll(() => page.getByTestId('agent-observed-state').textContent(), { timeout: 60_000 })
    .toBe('stopped');
  const stopRun = page.locator('[data-run-kind="stop"]').first();
  await expect.poll(() => stopRun.getAttribute('data-run-status'), { timeout: 30_000 }).toBe('succeeded');
  // Launch is no link while the agent is stopped (an <a> without href).
  expect(await page.locator('a', { hasText: 'Launch agent' }).getAttribute('href')).toBeNull();
  expect(
    await page.locator('a', { hasText: 'Open your agent in a new tab' }).getAttribute('href'),
  ).toBeNull();
  // Her agent answers nobody now; forward-auth still says it is hers, the process is simply gone.
  const agentAnswer = await people[0]!.request.get(`${app.baseUrl}/agent/health`);
  expect(agentAnswer.status()).toBeGreaterThanOrEqual(500);

  // …and starts it again: a provision run brings it back, Launch opens it.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect.poll(() => page.getByTestId('agent-desired-state').textContent()).toBe('running');
  await expect
    .poll(() => page.getByTestId('agent-observed-state').textContent(), { timeout: 90_000 })
    .toBe('running');
  expect((await people[0]!.request.get(`${app.baseUrl}/agent/health`)).status()).toBe(200);

  // Launch opens her agent inside the portal: the header, a way back, a way out, the agent in a frame.
  await page.getByRole('link', { name: 'Launch agent' }).click();
  await page.waitForURL('**/launch');
  const framed = page.frameLocator('iframe[title="ada’s agent"]');
  await framed.getByRole('heading', { name: "ada's agent" }).waitFor();
  expect(await page.getByRole('link', { name: 'Open in a new tab' }).getAttribute('href')).toBe(
    `${app.baseUrl}/agent/`,
  );
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.waitForURL(`${app.baseUrl}/`);
  expect(errors, 'console errors or hydration warnings on the dashboard').toEqual([]);
  const events = (await (await people[0]!.request.get(`${app.baseUrl}/api/me/activity`)).json()) as {
    items: { action: string }[];
  };
  expect(events.items.map((e) => e.action)).toEqual(
    expect.arrayContaining(['agent.stop_requested', 'agent.start_requested']),
  );

  // The admin's Agents page: every agent, then all of them restarted in one go.
  const adminPage = await admin.newPage();
  await adminPage.goto(`${app.baseUrl}/admin/agents`);
  await adminPage.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
  await adminPage.getByLabel('Select bob').waitFor();
  await adminPage.getByLabel('Select all').click();
  await adminPage.getByRole('button', { name: 'Restart (3)' }).click();
  await expect
    .poll(() => adminPage.getByRole('status').first().textContent())
    .toMatch(/^Restart requested for (ada|bob|ctladmin) and 2 others\.$/);
  await expect
    .poll(
      async () =>
        (await agents())
          .map((a) => `${a.username}:${a.lastRun?.kind}:${a.lastRun?.status}:${a.observedState}`)
          .sort(),
      { timeout: 120_000, interval: 1_000 },
    )
    .toEqual([
      'ada:restart:succeeded:running',
      'bob:restart:succeeded:running',
      'ctladmin:restart:succeeded:running',
    ]);
  // The page follows by itself, and filters by state and text.
  await adminPage.getByLabel('Search').fill('bo');
  await expect.poll(() => adminPage.locator('tbody tr').count()).toBe(1);
  await adminPage.getByLabel('Search').fill('');
  await adminPage.getByLabel('State').selectOption('stopped');
  await adminPage.getByText('No agent matches.').waitFor();

  // On a phone the table is stacked rows, nothing off-screen.
  await adminPage.setViewportSize({ width: 375, height: 800 });
  await adminPage.getByLabel('State').selectOption('');
  await adminPage.getByLabel('Select bob').waitFor();
  expect(await horizontalOverflow(adminPage)).toBe(0);
});

test('logs: the dashboard follows the agent live, as text; pause, resume, download; an admin reads them too', {
  timeout: 240_000,
}, async () => {
  const admin = adminContext;
  expect(admin, 'the control test signs the admin up').toBeDefined();
  const lena = await signUp('lena@example.com', 'lena');
  const pending = (await (await admin!.request.get(`${app.baseUrl}/api/users?status=pending`)).json()) as {
    items: { id: string; username: string }[];
  };
  const lenaId = pending.items.find((p) => p.username === 'lena')!.id;
  const approved = await admin!.request.post(`${app.baseUrl}/api/users/${lenaId}/approve`, {
    headers: { origin: app.baseUrl },
  });
  expect(approved.status(), await approved.text()).toBe(200);
  await expect
    .poll(async () => (await lena.request.get(`${app.baseUrl}/agent/health`)).status(), {
      timeout: 120_000,
      interval: 1_000,
    })
    .toBe(200);

  const page = await lena.newPage();
  const errors = browserErrors(page);
  await page.goto(app.baseUrl);
  const log = page.getByRole('log', { name: 'Agent log lines' });
  await page.getByRole('button', { name: 'Show logs' }).click();
  await expect.poll(() => log.textContent(), { timeout: 20_000 }).toMatch(/agent lena listening on/);

  // A request to her agent while the page is open: its access line arrives by itself.
  await lena.request.get(`${app.baseUrl}/agent/hello-from-e2e`);
  await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('GET /agent/hello-from-e2e');
  // Markup in a line is shown as text: no element is made from it.
  await lena.request.get(`${app.baseUrl}/agent/%3Cimg%20src=x%20id=injected%3E`);
  await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('GET /agent/%3Cimg');
  expect(await page.locator('#injected').count()).toBe(0);

  // Paused, nothing new shows; resumed, what came in between arrives.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('status').filter({ hasText: 'Paused' }).waitFor();
  await lena.request.get(`${app.baseUrl}/agent/while-paused`);
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  expect(await log.textContent()).not.toContain('while-paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('GET /agent/while-paused');
  // Each line once.
  expect((await log.textContent())?.split('GET /agent/hello-from-e2e').length).toBe(2);

  // The download is the host's last lines as a text file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /^Download last/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('lena-agent.log');
  const file = await download.path();
  expect(readFileSync(file, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z GET \/agent\/while-paused$/m);
  expect(errors, 'console errors on the dashboard').toEqual([]);

  // The admin reads them on the person page; the activity log says so.
  const adminPage = await admin!.newPage();
  await adminPage.goto(`${app.baseUrl}/admin/people/${lenaId}`);
  // The open/closed choice is remembered per browser: this one has not opened logs yet.
  await adminPage.getByRole('button', { name: 'Show logs' }).click();
  await expect
    .poll(() => adminPage.getByRole('log', { name: 'Agent log lines' }).textContent(), { timeout: 20_000 })
    .toContain('GET /agent/while-paused');
  const activity = (await (
    await admin!.request.get(`${app.baseUrl}/api/activity?action=agent.logs_viewed`)
  ).json()) as { items: { action: string; targetLabel: string | null }[] };
  expect(activity.items.map((e) => e.targetLabel)).toContain('lena');

  // Her usage this month: the dashboard's card, and the same over REST.
  await page.reload();
  await page.getByRole('heading', { name: 'Usage this month' }).waitFor();
  await page.getByTestId('usage-agent-hours').waitFor();
  const usage = (await (await lena.request.get(`${app.baseUrl}/api/me/usage`)).json()) as {
    period: string;
    resetsAt: string;
    days: unknown[];
  };
  expect(usage.period).toMatch(/^\d{4}-\d\d$/);
  expect(usage.days.length).toBe(new Date().getUTCDate());

  // The admin's Usage page lists her with her month's figures; the overview streams its trends.
  const usagePage = await admin!.newPage();
  await usagePage.goto(`${app.baseUrl}/admin/usage`);
  const lenaRow = usagePage
    .getByRole('region', { name: 'Everyone' })
    .getByRole('row')
    .filter({ has: usagePage.getByRole('link', { name: 'lena', exact: true }) });
  await expect.poll(() => lenaRow.getByRole('cell').nth(2).textContent()).toMatch(/^\d+\.\d$/);
  await usagePage.goto(`${app.baseUrl}/admin?trends=90`);
  await usagePage.getByRole('region', { name: 'Trends' }).getByTestId('agent-heatmap').waitFor();
  await usagePage.close();

  // The admin's exports are streamed CSV files: the activity log from its page, usage over REST.
  const activityPage = await admin!.newPage();
  await activityPage.goto(`${app.baseUrl}/admin/activity`);
  const [activityFile] = await Promise.all([
    activityPage.waitForEvent('download'),
    activityPage.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const activityCsv = readFileSync(await activityFile.path(), 'utf8');
  expect(activityCsv.split('\r\n')[0]).toBe(
    'at,actor_kind,actor_id,actor_label,action,target_kind,target_id,target_label,before,after,request_id,ip',
  );
  expect(activityCsv).toContain(',agent.logs_viewed,');
  const today = new Date().toISOString().slice(0, 10);
  const usageCsv = await admin!.request.get(`${app.baseUrl}/api/usage/export?from=${today}&to=${today}`);
  expect(usageCsv.status()).toBe(200);
  expect(usageCsv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect((await usageCsv.text()).split('\r\n')[0]).toBe(
    'period_start,granularity,person_id,username,email,agent_hours,cpu_core_hours,memory_gb_hours,api_calls',
  );
  // With a token the call takes server.mjs's fast path, which streams the same answer.
  const minted = await admin!.request.post(`${app.baseUrl}/api/tokens`, {
    data: { name: 'usage export', scopes: ['admin:users:read'], expiresInDays: 1 },
    headers: { origin: app.baseUrl },
  });
  const { secret } = (await minted.json()) as { secret: string };
  const viaToken = await fetch(`${app.baseUrl}/api/usage/export?from=${today}&to=${today}&granularity=hour`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(viaToken.status).toBe(200);
  expect(viaToken.headers.get('content-disposition')).toBe(
    `attachment; filename="usage-${today}-to-${today}-hour.csv"`,
  );
  expect((await viaToken.text()).startsWith('period_start,')).toBe(true);
});

test('metrics: Prometheus text for an admin token with admin:system:read, nothing for anyone else', async () => {
  expect((await fetch(`${app.baseUrl}/api/metrics`)).status).toBe(401);
  const admin = await signUp('metrics-admin@example.com', 'metricsadmin');
  const mint = async (scopes: string[]) => {
    const res = await admin.request.post(`${app.baseUrl}/api/tokens`, {
      data: { name: `metrics ${scopes.join(' ')}`, scopes, expiresInDays: 1 },
      headers: { origin: app.baseUrl },
    });
    expect(res.status(), await res.text()).toBe(200);
    return ((await res.json()) as { secret: string }).secret;
  };
  const scrape = (token: string) =>
    fetch(`${app.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
  // A REST call first, so the instance has a series to show; through server.mjs's fast path.
  const reader = await mint(['admin:system:read']);
  expect(
    (await fetch(`${app.baseUrl}/api/agents`, { headers: { authorization: `Bearer ${reader}` } })).status,
  ).toBe(200);
  const res = await scrape(reader);
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toContain('pocket_smyth_http_requests_total{route="/agents",method="GET",status="200"}');
  expect(text).toMatch(/^pocket_smyth_agents\{observed_state="[a-z]+"\} \d+$/m);
  expect(text).toContain('# TYPE pocket_smyth_run_duration_seconds histogram');
  expect((await scrape(await mint(['admin:users:read']))).status).toBe(403);
});
