/**
 * An agent's environment variable set from the dashboard, every part real (production web server,
 * worker, embedded Postgres, the local host running a sample-agent process): the card shows it as
 * ••••last4, the agent is provisioned again and has it in its environment, and no page, API answer or
 * log the test can see holds the value.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppServer, startApp } from '../src/app-server';
import { launchBrowser } from '../src/browser';
import { browserErrors, onboardThroughApi } from '../src/page-checks';
import { startWorker, type WorkerProcess } from '../src/worker-process';

let app: AppServer;
let worker: WorkerProcess;
let browser: Browser;
let agentStateDir: string;
const key = randomBytes(32).toString('base64');

beforeAll(async () => {
  agentStateDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-env-agents-'));
  app = await startApp({ AGENT_STATE_DIR: agentStateDir, AGENT_SECRETS_KEY: key });
  worker = startWorker(app, agentStateDir, { AGENT_SECRETS_KEY: key });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.stop();
  rmSync(agentStateDir, { recursive: true, force: true });
});

interface AgentAnswer {
  observedState: string;
}

test('set a variable on the dashboard: ••••last4 shown, the agent restarts with it, the value nowhere else', {
  timeout: 240_000,
}, async () => {
  const context = await browser.newContext();
  // The first person is the admin, active at once: their agent is provisioned without an approval.
  await onboardThroughApi(app, context, 'envy@example.com', 'envy');
  const agent = async () =>
    (await (await context.request.get(`${app.baseUrl}/api/me/agent`)).json()) as AgentAnswer;
  await expect
    .poll(async () => (await agent()).observedState, { timeout: 120_000, interval: 1_000 })
    .toBe('running');
  const pidFile = path.join(agentStateDir, 'envy', 'pid');
  const firstPid = readFileSync(pidFile, 'utf8').trim();

  const secret = `sk-e2e-${randomUUID()}`;
  const page = await context.newPage();
  const errors = browserErrors(page);
  await page.goto(app.baseUrl);
  const card = page.getByRole('region', { name: 'Environment' });
  await card.getByText('No variables yet.').waitFor();
  await card.getByLabel('Name').fill('openai_api_key');
  await card.getByLabel('Value').fill(secret);
  expect(await card.getByLabel('Value').getAttribute('type')).toBe('password');
  await card.getByRole('button', { name: 'Save and restart' }).click();
  await page.getByText('Saved OPENAI_API_KEY; your agent is restarting with it.').waitFor();
  await card.getByText(secret.slice(-4)).waitFor();
  expect(await card.locator('li').first().textContent()).toContain(
    `OPENAI_API_KEY••••value ending in ${secret.slice(-4)}`,
  );
  // The form forgot it.
  expect(await card.getByLabel('Value').inputValue()).toBe('');

  // The agent is provisioned again and its new process has the variable.
  await expect
    .poll(() => readFileSync(pidFile, 'utf8').trim(), { timeout: 90_000, interval: 500 })
    .not.toBe(firstPid);
  await expect
    .poll(async () => (await agent()).observedState, { timeout: 60_000, interval: 1_000 })
    .toBe('running');
  const pid = readFileSync(pidFile, 'utf8').trim();
  expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(`OPENAI_API_KEY=${secret}`);

  // Nothing shows the value again: the page after a reload, the API, the runs, the activity, the logs.
  await page.reload();
  await card.getByText(secret.slice(-4)).waitFor();
  expect(await page.content()).not.toContain(secret);
  for (const route of [
    '/api/me/agent/env',
    '/api/me/runs',
    '/api/me/activity',
    '/api/activity',
    '/api/runs',
  ]) {
    const answer = await context.request.get(`${app.baseUrl}${route}`);
    expect(answer.status(), route).toBe(200);
    expect(await answer.text(), route).not.toContain(secret);
  }
  expect(app.logs()).not.toContain(secret);
  expect(worker.logs()).not.toContain(secret);
  expect(readFileSync(path.join(agentStateDir, 'envy', 'agent.log'), 'utf8')).not.toContain(secret);

  // Removed with a confirmation: the card is empty again.
  await card.getByRole('button', { name: 'Remove OPENAI_API_KEY' }).click();
  await page
    .getByRole('dialog', { name: 'Remove OPENAI_API_KEY?' })
    .getByRole('button', { name: 'Remove and restart' })
    .click();
  await card.getByText('No variables yet.').waitFor();
  expect(errors, 'console errors or hydration warnings on the dashboard').toEqual([]);

  // The same card on the admin's person page (envy is the admin), its actions bound to the person.
  const me = (await (await context.request.get(`${app.baseUrl}/api/me`)).json()) as { id: string };
  const adminPage = await context.newPage();
  const adminErrors = browserErrors(adminPage);
  await adminPage.goto(`${app.baseUrl}/admin/people/${me.id}`);
  const adminCard = adminPage.getByRole('region', { name: 'Environment' });
  await adminCard.getByText('No variables yet.').waitFor();
  await adminCard.getByLabel('Name').fill('LOG_LEVEL');
  await adminCard.getByLabel('Value').fill('debug-verbose');
  await adminCard.getByRole('button', { name: 'Save and restart' }).click();
  await adminPage.getByText('Saved LOG_LEVEL; envy’s agent is restarting with it.').waitFor();
  await adminCard.getByText('bose').waitFor();
  const stored = (await (await context.request.get(`${app.baseUrl}/api/me/agent/env`)).json()) as {
    items?: { name: string }[];
  };
  expect(JSON.stringify(stored)).toContain('LOG_LEVEL');
  await adminCard.getByRole('button', { name: 'Remove LOG_LEVEL' }).click();
  await adminPage
    .getByRole('dialog', { name: 'Remove LOG_LEVEL?' })
    .getByRole('button', { name: 'Remove and restart' })
    .click();
  await adminPage.getByText('Removed; envy’s agent is restarting without it.').waitFor();
  await adminCard.getByText('No variables yet.').waitFor();
  expect(adminErrors, 'console errors or hydration warnings on the admin person page').toEqual([]);
  await context.close();
});
