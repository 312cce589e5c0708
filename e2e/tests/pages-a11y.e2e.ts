import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { createClient } from '@libsql/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppServer, startApp } from '../src/app-server';
import { launchBrowser, screenshot, signInWithMagicLink } from '../src/browser';
import {
  browserErrors,
  horizontalOverflow,
  insertFailedRun,
  seriousAxeFindings,
  showColorScheme,
  viewports,
} from '../src/page-checks';

let app: AppServer;
let browser: Browser;
let admin: BrowserContext;
let person: BrowserContext;
let personId = '';

/**
 * The browser is not in the server's time zone (UTC here), as for most people: a page whose first render
 * differs from the server's HTML fails hydration, which the page-error check in `audit` catches.
 */
const browserZone = { timezoneId: 'America/New_York' } as const;

beforeAll(async () => {
  // A token lifetime below the 365-day default, to see the dashboard hold to the operator's limit.
  app = await startApp({ API_TOKEN_MAX_DAYS: '60' });
  browser = await launchBrowser();
  admin = await browser.newContext(browserZone);
  const a = await admin.newPage();
  await signInWithMagicLink(a, app.baseUrl, 'axe-admin@example.com', app.magicLinkFor);
  await a.waitForURL('**/onboarding');
  expect(
    (
      await admin.request.post(`${app.baseUrl}/api/me/onboarding`, {
        data: { username: 'axeadmin' },
        headers: { origin: app.baseUrl },
      })
    ).status(),
  ).toBe(200);
  await a.close();

  person = await browser.newContext(browserZone);
  const p = await person.newPage();
  await signInWithMagicLink(p, app.baseUrl, 'axe-person@example.com', app.magicLinkFor);
  await p.waitForURL('**/onboarding');
  await p.close();
});

afterAll(async () => {
  await admin?.close();
  await person?.close();
  await browser?.close();
  await app?.stop();
});

/**
 * Loads a page at both widths, saves screenshots, and fails on serious or critical axe findings (and on
 * any contrast finding in the dark scheme).
 */
async function audit(
  context: BrowserContext,
  path: string,
  name: string,
  ready: (page: Page) => Promise<unknown>,
) {
  for (const [label, viewport] of Object.entries(viewports)) {
    const page = await context.newPage();
    const errors = browserErrors(page);
    await page.setViewportSize(viewport);
    await page.goto(`${app.baseUrl}${path}`);
    await ready(page);
    await screenshot(page, `${name}-${label}`);
    expect(await seriousAxeFindings(page), `${path} at ${label}`).toEqual([]);
    // The palette's dark half reads as well as the light one: contrast again with the system set to dark.
    await showColorScheme(page, 'dark');
    const dark = await new AxeBuilder({ page: page as never }).withRules(['color-contrast']).analyze();
    expect(
      dark.violations
        .flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? v.help}`))
        .slice(0, 5),
      `${path} at ${label}, dark`,
    ).toEqual([]);
    await showColorScheme(page, 'light');
    // Usable at 375 px: nothing wider than the screen.
    expect(await horizontalOverflow(page), `${path} overflows at ${label}`).toBeLessThanOrEqual(1);
    expect(errors, `${path} at ${label}: errors in the browser`).toEqual([]);
    await page.close();
  }
}

const heading = (text: string | RegExp) => (page: Page) =>
  page.getByRole('heading', { name: text }).first().waitFor();

test('sign-in, onboarding and pending pages', async () => {
  const anonymous = await browser.newContext(browserZone);
  await audit(anonymous, '/signin', 'signin', heading('Sign in to Pocket Smyth'));
  await anonymous.close();
  await audit(person, '/onboarding', 'onboarding', heading('Welcome to Pocket Smyth'));
  await audit(person, '/onboarding', 'onboarding-preferences', async (page) => {
    await page.getByLabel('Username').fill('axeperson');
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading('Preferences')(page);
  });
  expect(
    (
      await person.request.post(`${app.baseUrl}/api/me/onboarding`, {
        data: { username: 'axeperson' },
        headers: { origin: app.baseUrl },
      })
    ).status(),
  ).toBe(200);
  await audit(person, '/pending', 'pending', heading('Waiting for approval'));
}, 180_000);

test('admin pages', async () => {
  const list = await admin.request.get(`${app.baseUrl}/api/users?status=pending`);
  personId = ((await list.json()) as { items: { id: string }[] }).items[0]!.id;
  await audit(admin, '/admin', 'admin-overview', heading('Overview'));
  await audit(admin, '/admin/approvals', 'admin-approvals', async (p) => {
    await p.getByLabel('Select axeperson').waitFor();
    // The queue fits without sideways scrolling, on a phone too (the email moves under the username).
    const queue = p.getByRole('region', { name: 'Pending people' });
    expect(await queue.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  });
  expect(
    (
      await admin.request.post(`${app.baseUrl}/api/users/${personId}/approve`, {
        headers: { origin: app.baseUrl },
      })
    ).status(),
  ).toBe(200);
  await audit(admin, '/admin/people', 'admin-people', (p) =>
    p.getByRole('link', { name: 'axeperson' }).waitFor(),
  );
  await filtersLiveInTheAddress();
  await audit(admin, `/admin/people/${personId}`, 'admin-person', async (page) => {
    await heading(/axeperson/)(page);
    // The header marks the section a page belongs to; the overview's /admin prefixes it but is not it.
    const current = page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]');
    expect(await current.allTextContents()).toEqual(['People']);
  });
  await audit(admin, '/admin/agents', 'admin-agents', (p) => p.getByLabel('Select axeperson').waitFor());
  await audit(admin, '/admin/hosts', 'admin-hosts', heading('Hosts'));
  await manageHostsThroughTheUi();
  await audit(admin, '/admin/rollouts', 'admin-rollouts', heading('Rollouts'));
  await audit(admin, '/admin/plans', 'admin-plans', heading('Plans'));
  await audit(admin, '/admin/usage', 'admin-usage', heading('Usage'));
  await audit(admin, '/admin/activity', 'admin-activity', (p) =>
    p.locator('tr[data-action]').first().waitFor(),
  );
  await audit(admin, '/admin/outbox', 'admin-outbox', heading('Mail outbox'));
  await audit(admin, '/api/docs', 'api-docs', heading('Pocket Smyth API'));
}, 300_000);

/**
 * The People and Activity filters put their choice into the address, and the server lists only what
 * matches: a status with nobody in it empties the list, clearing it brings the person back.
 */
async function filtersLiveInTheAddress() {
  const page = await admin.newPage();
  const errors = browserErrors(page);
  await page.goto(`${app.baseUrl}/admin/people`);
  const person = page.getByRole('link', { name: 'axeperson' });
  await person.waitFor();
  await page.getByLabel('Status').selectOption('pending');
  await page.waitForURL(/[?&]status=pending\b/);
  await person.waitFor({ state: 'detached' });
  await page.getByLabel('Role').selectOption('user');
  await page.waitForURL(/status=pending&role=user|role=user&status=pending/);
  await page.getByLabel('Status').selectOption('');
  await page.waitForURL((url) => !url.searchParams.has('status') && url.searchParams.get('role') === 'user');
  await person.waitFor();
  await page.goto(`${app.baseUrl}/admin/activity`);
  await page.locator('tr[data-action]').first().waitFor();
  await page.getByLabel('Actor').selectOption('system');
  await page.waitForURL(/[?&]actor=system\b/);
  await page.getByLabel('Actor').selectOption('person');
  await page.waitForURL(/[?&]actor=person\b/);
  await page.locator('tr[data-action="person.approved"]').first().waitFor();
  expect(errors, 'errors in the browser while filtering').toEqual([]);
  await page.close();
}

/** Add (a refused fingerprint first, then a valid one), drain, undo, and remove a host from the hosts page. */
async function manageHostsThroughTheUi() {
  const page = await admin.newPage();
  await page.goto(`${app.baseUrl}/admin/hosts`);
  await page.getByRole('button', { name: 'Add host' }).click();
  await page.getByLabel('Name', { exact: true }).fill('edge-1');
  await page.getByLabel('Address').fill('edge-1.internal');
  await page.getByLabel('Host key fingerprint').fill('SHA256:not-a-fingerprint');
  await page.getByLabel('Private key file on the worker').fill('/etc/pocket-smyth/edge-1.key');
  await page.getByRole('dialog').getByRole('button', { name: 'Add host' }).click();
  await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('SHA256');
  await page.getByLabel('Host key fingerprint').fill(`SHA256:${'A'.repeat(43)}`);
  await page.getByRole('dialog').getByRole('button', { name: 'Add host' }).click();
  await page.getByRole('heading', { name: 'edge-1' }).waitFor();
  await hostHistoryOnTheCard(page);
  // Drain and remove ask first; a drain can be undone.
  await page.getByRole('button', { name: 'Drain', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Drain edge-1?' })
    .getByRole('button', { name: 'Drain host' })
    .click();
  await expect.poll(() => page.getByText('draining').count()).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Put back in use' }).click();
  await page.getByText('edge-1 is back in use: new agents may go there.').waitFor();
  await page.getByRole('button', { name: 'Drain', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  const remove = page.getByRole('dialog', { name: 'Remove edge-1?' });
  await remove.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.getByRole('heading', { name: 'edge-1' }).count()).toBe(1);
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await remove.getByRole('button', { name: 'Remove host' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'edge-1' }).count()).toBe(0);
  await page.close();
}

/**
 * Over time: samples as the worker's poller writes them (no worker runs here) come back as charts
 * on the host's card, with "now" in words, and the window switch changes what is drawn.
 */
async function hostHistoryOnTheCard(page: Page) {
  const hosts = (await (await admin.request.get(`${app.baseUrl}/api/hosts`)).json()) as {
    id: string;
    name: string;
  }[];
  const edge = hosts.find((h) => h.name === 'edge-1')!;
  const db = createClient({ url: `file:${path.join(app.dataDir, 'app.db')}` });
  const now = Date.now();
  const GiB = 1024 ** 3;
  // Five hours of samples at one per 5 minutes: the last one (40 % CPU, 2 of 8 GiB) is "now".
  for (let minutesAgo = 300; minutesAgo >= 0; minutesAgo -= 5) {
    await db.execute({
      sql: `insert into host_samples (host_id, at, cpu_percent, memory_used_bytes, memory_total_bytes,
              disk_used_bytes, disk_total_bytes) values (?, ?, ?, ?, ?, ?, ?)`,
      args: [
        edge.id,
        now - minutesAgo * 60_000,
        minutesAgo === 0 ? 40 : 10,
        2 * GiB,
        8 * GiB,
        50 * GiB,
        100 * GiB,
      ],
    });
  }
  db.close();
  await page.reload();
  const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'edge-1' }) });
  await expect
    .poll(() => card.getByRole('img', { name: /^CPU over the last hour/ }).getAttribute('aria-label'))
    .toMatch(/^CPU over the last hour, now 40 %, lowest \d+ %, highest \d+ %$/);
  expect(await card.getByRole('img', { name: /^Memory over/ }).getAttribute('aria-label')).toBe(
    'Memory over the last hour, now 25 %, lowest 25 %, highest 25 %',
  );
  await card.getByRole('button', { name: '6 h' }).click();
  await expect
    .poll(() => card.getByRole('button', { name: '6 h' }).getAttribute('aria-pressed'))
    .toBe('true');
  await expect
    .poll(() => card.getByRole('img', { name: /^Disk over/ }).getAttribute('aria-label'))
    .toBe('Disk over the last 6 hours, now 50 %, lowest 50 %, highest 50 %');
  await screenshot(page, 'admin-hosts-history');
}

/**
 * A run that failed for good, as the worker leaves it (no worker runs here): the overview lists it under
 * "Needs attention" with the step and the reason in words, links to the person, whose page retries it;
 * the person's own timeline says the same.
 */
test('a failed run: from the overview to the retry', async () => {
  const message = 'provision: docker: no space left on device (exit 125)';
  const runId = await insertFailedRun(app.dataDir, 'axeperson', message);

  const attention = (page: Page) => page.getByRole('region', { name: 'Needs attention' });
  await audit(admin, '/admin', 'admin-overview-attention', (p) =>
    attention(p).getByRole('link', { name: 'axeperson' }).waitFor(),
  );
  const page = await admin.newPage();
  await page.goto(`${app.baseUrl}/admin`);
  const item = attention(page).locator(`[data-run-id="${runId}"]`);
  expect(await item.textContent()).toContain('Provision failed at “run provision script”');
  expect(await item.textContent()).toContain(`The host script reported an error. ${message}`);
  expect(await page.getByText('Failed runs (24 h)').locator('..').textContent()).toContain('1');

  await item.getByRole('link', { name: 'axeperson' }).click();
  await page.waitForURL(`**/admin/people/${personId}`);
  const runs = page.getByRole('region', { name: 'Runs' });
  await runs.getByText(message).first().waitFor();
  await runs.getByRole('button', { name: 'Retry from failed step' }).click();
  await page.getByText('Retrying from the failed step.').waitFor();
  await page.getByRole('region', { name: 'Activity' }).getByText('Run retried').waitFor();
  await page.close();

  await audit(person, '/', 'dashboard-failed-run', async (p) => {
    const timeline = p.getByRole('region', { name: 'Provisioning timeline' });
    // The person gets the reason in words; the script's own message and output are the admins'.
    await timeline.getByText('The host script reported an error.').first().waitFor();
    await timeline.getByText('Admins are told and can retry it from the step that failed.').waitFor();
    expect(await timeline.getByText(message).count()).toBe(0);
  });

  // An admin's own failed run waits for an admin too: them. Their dashboard links to their admin page.
  await insertFailedRun(app.dataDir, 'axeadmin', message);
  const own = await admin.newPage();
  await own.goto(`${app.baseUrl}/`);
  await own
    .getByRole('region', { name: 'Provisioning timeline' })
    .getByRole('link', { name: 'your page in the admin panel' })
    .click();
  await own.waitForURL(/\/admin\/people\/[^/]+$/);
  await own
    .getByRole('region', { name: 'Runs' })
    .getByRole('button', { name: 'Retry from failed step' })
    .waitFor();
  expect(await own.getByRole('heading', { level: 1 }).textContent()).toContain('axeadmin');
  // The server refuses revoking or deleting oneself, so the page does not offer it.
  await own.getByText('This is you: another admin can revoke or delete your account.').waitFor();
  expect(await own.getByRole('button', { name: /^(Revoke|Delete)$/ }).count()).toBe(0);
  await own.close();
});

test('the person’s dashboard', async () => {
  await audit(person, '/', 'dashboard', heading(/Hello/));

  // The first Tab shows a link that skips the header; following it puts the focus on the page itself.
  const page = await person.newPage();
  await page.goto(`${app.baseUrl}/`);
  await heading(/Hello/)(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
  expect((await skip.boundingBox())?.width).toBeGreaterThan(20);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
  await page.close();
});

test('API tokens on the dashboard: the operator’s limit, the secret once, a confirmed revoke', async () => {
  const page = await person.newPage();
  await page.goto(`${app.baseUrl}/`);
  const card = page.getByRole('region', { name: 'API tokens' });
  await card.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  const expiry = dialog.getByLabel('Expires in');
  // The dialog's code is fetched on the first click (not with the page): wait for it to be there.
  await expiry.waitFor();
  expect(await expiry.locator('option').allTextContents()).toEqual(['7 days', '30 days', '60 days']);
  await dialog.getByLabel('Name', { exact: true }).fill('nightly report');
  await expiry.selectOption('60');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const secret = (await card.getByTestId('new-token-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^pst_/);
  const bearer = { headers: { authorization: `Bearer ${secret}` } };
  expect((await page.request.get(`${app.baseUrl}/api/me`, bearer)).status()).toBe(200);
  const activity = page.getByRole('region', { name: 'Your activity' });
  await activity
    .getByText(/token created/i)
    .first()
    .waitFor();
  await card.getByRole('button', { name: 'Done' }).click();
  expect(await card.getByTestId('new-token-secret').count()).toBe(0);

  // Revoking asks first; Cancel keeps the token working.
  const row = card.getByRole('row', { name: /nightly report/ });
  await row.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke “nightly report”?' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect((await page.request.get(`${app.baseUrl}/api/me`, bearer)).status()).toBe(200);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await page.getByText('Revoked “nightly report”.').waitFor();
  await row.getByText('revoked').waitFor();
  await activity
    .getByText(/token revoked/i)
    .first()
    .waitFor();
  expect((await page.request.get(`${app.baseUrl}/api/me`, bearer)).status()).toBe(401);
  await page.close();
});
