/**
 * Images and rollouts in the browser, with every part real (production web server, worker, embedded
 * Postgres, the local host running sample-agent processes, whose runtime ignores the image but goes
 * through the same provision runs): an admin sets the default image, starts a rollout and watches it
 * finish live on /admin/rollouts, rolls it back, and gives one person an image of their own.
 */

import type { BrowserContext } from 'playwright-core';
import { expect, test } from 'vitest';
import { useFullStack } from '../src/full-stack';
import { browserErrors, horizontalOverflow, onboardThroughApi } from '../src/page-checks';

const stack = useFullStack();

async function signUp(email: string, username: string): Promise<BrowserContext> {
  const context = await stack.browser.newContext();
  await onboardThroughApi(stack.app, context, email, username);
  return context;
}

interface AgentRow {
  username: string;
  personId: string;
  observedState: string;
  runningImage: string | null;
  imageOverride: string | null;
}

test('default image, a rollout watched live and rolled back, and a person’s own image', {
  timeout: 300_000,
}, async () => {
  const admin = await signUp('rollout-admin@example.com', 'rolladmin');
  await signUp('ada@example.com', 'ada');
  const pending = (await (
    await admin.request.get(`${stack.app.baseUrl}/api/users?status=pending`)
  ).json()) as {
    items: { id: string }[];
  };
  const approved = await admin.request.post(`${stack.app.baseUrl}/api/users/approve`, {
    data: { ids: pending.items.map((p) => p.id) },
    headers: { origin: stack.app.baseUrl },
  });
  expect(approved.status(), await approved.text()).toBe(200);
  const agents = async () =>
    (await (await admin.request.get(`${stack.app.baseUrl}/api/agents`)).json()) as AgentRow[];
  const images = async () =>
    (await agents()).map((a) => `${a.username}:${a.observedState}:${a.runningImage}`).sort();
  await expect
    .poll(async () => (await agents()).map((a) => `${a.username}:${a.observedState}`).sort(), {
      timeout: 120_000,
      interval: 1_000,
    })
    .toEqual(['ada:running', 'rolladmin:running']);

  const page = await admin.newPage();
  const errors = browserErrors(page);
  await page.goto(`${stack.app.baseUrl}/admin/rollouts`);
  await page.getByRole('heading', { name: 'Rollouts', level: 1 }).waitFor();
  expect(await page.getByTestId('default-image').textContent()).toMatch(/^not set/);

  // The default image: new agents and later starts take it; running ones keep theirs.
  await page.getByLabel('New default image').fill('registry.example.test/agent:1');
  await page.getByRole('button', { name: 'Set default' }).click();
  await expect
    .poll(() => page.getByTestId('default-image').textContent())
    .toBe('registry.example.test/agent:1');

  // A rollout, one agent at a time, followed live until it completes.
  await page.getByLabel('Image', { exact: true }).fill('registry.example.test/agent:2');
  await page.getByLabel('Batch size').fill('1');
  await page.getByLabel('Failure threshold %').fill('50');
  await page.getByRole('button', { name: 'Start rollout' }).click();
  const latest = page.getByRole('region', { name: 'Latest rollout' });
  await latest.waitFor();
  await expect
    .poll(() => latest.getByTestId('rollout-progress').textContent(), { timeout: 90_000, interval: 500 })
    .toBe('2 of 2 agents done');
  await expect.poll(() => latest.getByText('completed', { exact: true }).count()).toBeGreaterThan(0);
  expect(await latest.getByTestId('rollout-agent').allTextContents()).toEqual([
    expect.stringMatching(/^adasucceeded/),
    expect.stringMatching(/^rolladminsucceeded/),
  ]);
  expect(await images()).toEqual([
    'ada:running:registry.example.test/agent:2',
    'rolladmin:running:registry.example.test/agent:2',
  ]);
  // The same over REST.
  const listed = (await (await admin.request.get(`${stack.app.baseUrl}/api/rollouts`)).json()) as {
    id: string;
    status: string;
    counts: { succeeded: number };
  }[];
  expect(listed[0]).toMatchObject({ status: 'completed', counts: { succeeded: 2 } });

  // Rolled back: both agents go back to the image they ran, and so does the default.
  await latest.getByRole('button', { name: 'Roll back' }).click();
  await page
    .getByRole('dialog', { name: 'Roll this rollout back?' })
    .getByRole('button', { name: 'Roll back' })
    .click();
  await expect
    .poll(images, { timeout: 90_000, interval: 1_000 })
    .toEqual([
      'ada:running:registry.example.test/agent:1',
      'rolladmin:running:registry.example.test/agent:1',
    ]);
  const pastRollouts = page.getByRole('region', { name: 'Past rollouts' });
  await expect.poll(() => pastRollouts.getByText('rolled_back').count(), { timeout: 30_000 }).toBe(1);
  expect(await page.getByTestId('default-image').textContent()).toBe('registry.example.test/agent:1');

  // On a phone, nothing off-screen.
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await horizontalOverflow(page)).toBe(0);

  // Ada gets an image of her own from her person page; her running agent is provisioned again with it.
  const ada = (await agents()).find((a) => a.username === 'ada')!;
  const personPage = await admin.newPage();
  const personErrors = browserErrors(personPage);
  await personPage.goto(`${stack.app.baseUrl}/admin/people/${ada.personId}`);
  await personPage.getByLabel('Own image').fill('registry.example.test/ada:1');
  await personPage.getByRole('button', { name: 'Save image' }).click();
  await expect
    .poll(images, { timeout: 90_000, interval: 1_000 })
    .toEqual(['ada:running:registry.example.test/ada:1', 'rolladmin:running:registry.example.test/agent:1']);
  await expect
    .poll(() => personPage.getByTestId('agent-running-image').textContent(), { timeout: 15_000 })
    .toBe('registry.example.test/ada:1 (their own)');
  expect([...errors, ...personErrors], 'console errors or hydration warnings').toEqual([]);
});
