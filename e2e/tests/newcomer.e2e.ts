/**
 * The first hour of a fresh install, as a newcomer lives it through the real UI, with every part real:
 * the production web server, the worker, an embedded Postgres and the local host running agents as
 * processes (docs/ARCHITECTURE.md, "Testing"). The first person signs in and onboards and is the admin;
 * a second signs up and waits; the admin approves them on the Approvals page; their page moves on by
 * itself and they launch their agent; then a run fails, and the person reads why in words while the
 * admin sees it under "Needs attention" and the error on the person's page.
 *
 * At every stop the page must be clean: no console error or uncaught error on any page of the walk (a
 * hydration mismatch is a console error), no sideways scrolling at 375 px (the same address loaded at
 * that width), and no serious or critical axe finding at either width. These are soft: a failing check
 * is reported with its page, and the walk goes on to check the rest.
 */

import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { screenshot } from '../src/browser';
import { useFullStack } from '../src/full-stack';
import {
  browserErrors,
  horizontalOverflow,
  insertFailedRun,
  seriousAxeFindings,
  viewports,
} from '../src/page-checks';

const stack = useFullStack();

/** Every error any page of the walk reported since the last stop, with who saw it and where. */
const browserProblems: string[] = [];

/** A stack.browser of its own for one person, at 1280 px, whose every page (tabs too) is watched for errors. */
async function personBrowser(who: string, timezoneId: string): Promise<BrowserContext> {
  const context = await stack.browser.newContext({ viewport: viewports.desktop, timezoneId });
  context.on('page', (page) => browserErrors(page, browserProblems, who));
  return context;
}

type Ready = (page: Page) => Promise<unknown>;

const heading =
  (text: string | RegExp): Ready =>
  (page) =>
    page.getByRole('heading', { name: text }).first().waitFor();

/**
 * A stop on the walk: `page` as it is now at 1280 px, then the same address loaded afresh at 375 px in
 * the same stack.browser (`narrowReady` brings it to the same state). Axe at both widths, sideways scrolling
 * at 375 px, and whatever any page reported since the last stop.
 */
async function stop(page: Page, name: string, narrowReady: Ready): Promise<void> {
  // What React reports after hydration comes a moment after the first paint.
  await page.waitForTimeout(1_000);
  await screenshot(page, `newcomer-${name}-desktop`);
  expect
    .soft(await seriousAxeFindings(page), `${name} at 1280 px: serious or critical axe findings`)
    .toEqual([]);

  const narrow = await page.context().newPage();
  await narrow.setViewportSize(viewports.mobile);
  await narrow.goto(page.url());
  await narrowReady(narrow);
  await narrow.waitForTimeout(1_000);
  await screenshot(narrow, `newcomer-${name}-mobile`);
  const overflow = await horizontalOverflow(narrow);
  expect.soft(overflow, `${name} at 375 px scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
  expect
    .soft(await seriousAxeFindings(narrow), `${name} at 375 px: serious or critical axe findings`)
    .toEqual([]);
  await narrow.close();

  expect.soft(browserProblems.splice(0), `${name}: errors in the stack.browser`).toEqual([]);
}

test('a first install: the admin, a newcomer approved, their agent launched, a failed run seen by both', {
  timeout: 300_000,
}, async () => {
  // The first person opens the address on a fresh install and is sent to sign in.
  const adminContext = await personBrowser('admin', 'Europe/Berlin');
  const admin = await adminContext.newPage();
  await admin.goto(`${stack.app.baseUrl}/`);
  await admin.waitForURL('**/signin**');
  await heading('Sign in to Pocket Smyth')(admin);
  await stop(admin, 'sign-in', heading('Sign in to Pocket Smyth'));
  await admin.getByLabel('Email', { exact: true }).fill('founder@example.com');
  await admin.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await admin.waitForURL('**/signin/check-email**');
  await heading('Check your email')(admin);
  await stop(admin, 'check-email', heading('Check your email'));

  // The link from the outbox (no mail provider here), then onboarding: a username is all they pick.
  await admin.goto(await stack.app.magicLinkFor('founder@example.com'));
  await admin.waitForURL('**/onboarding');
  await heading('Welcome to Pocket Smyth')(admin);
  // The first person is told they are the admin (no "request access", no "you're approved" mail).
  await heading('You’re an admin here')(admin);
  await stop(admin, 'onboarding-first-person', heading('Welcome to Pocket Smyth'));
  const chooseName = (name: string) => async (page: Page) => {
    await page.getByLabel('Username').fill(name);
    await expect.poll(() => page.getByText(`${name} is available`).count()).toBe(1);
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading('Preferences')(page);
  };
  await chooseName('founder')(admin);
  await stop(admin, 'onboarding-preferences-first-person', async (page) => {
    await heading('Welcome to Pocket Smyth')(page);
    await chooseName('founder')(page);
  });
  await admin.getByRole('button', { name: 'Start my agent' }).click();
  await admin.waitForURL(`${stack.app.baseUrl}/`);
  await heading(/Hello/)(admin);
  // They are the admin: the header has the admin panel's sections.
  await expect.poll(() => admin.getByRole('link', { name: 'Approvals', exact: true }).count()).toBe(1);
  await stop(admin, 'dashboard-admin', heading(/Hello/));

  // A second person signs up, onboards and waits.
  const personContext = await personBrowser('person', 'America/New_York');
  const person = await personContext.newPage();
  await person.goto(`${stack.app.baseUrl}/signin`);
  await person.getByLabel('Email', { exact: true }).fill('nora@example.com');
  await person.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await person.waitForURL('**/signin/check-email**');
  await person.goto(await stack.app.magicLinkFor('nora@example.com'));
  await person.waitForURL('**/onboarding');
  await heading('Welcome to Pocket Smyth')(person);
  await stop(person, 'onboarding-second-person', heading('Welcome to Pocket Smyth'));
  await chooseName('nora')(person);
  await person.getByLabel('Display name').fill('Nora Newcomer');
  await person.getByRole('button', { name: 'Request access' }).click();
  await person.waitForURL('**/pending');
  await heading('Waiting for approval')(person);
  await stop(person, 'pending', heading('Waiting for approval'));

  // The admin finds them on the Approvals page, through the header, and approves them.
  await admin.getByRole('link', { name: 'Approvals', exact: true }).click();
  await admin.waitForURL('**/admin/approvals');
  const selectNora = (page: Page) => page.getByLabel('Select nora').waitFor();
  await selectNora(admin);
  await stop(admin, 'approvals', selectNora);
  await admin.getByLabel('Select nora').check();
  await admin.getByRole('button', { name: /^Approve/ }).click();
  await expect.poll(() => admin.getByRole('status').textContent()).toContain('Approved nora.');

  // The waiting page notices by itself and moves on; the person watches their agent start.
  await person.waitForURL(`${stack.app.baseUrl}/`, { timeout: 30_000 });
  await heading('Hello, Nora Newcomer')(person);
  const provision = person.locator('[data-run-kind="provision"]').first();
  await provision.waitFor({ timeout: 60_000 });
  await expect
    .poll(() => person.getByTestId('agent-observed-state').textContent(), { timeout: 90_000 })
    .toBe('running');
  await expect.poll(() => provision.getAttribute('data-run-status')).toBe('succeeded');
  await stop(person, 'dashboard-agent-running', heading('Hello, Nora Newcomer'));

  // The agent in a tab of its own, behind the portal (Launch opens it inside the portal: agent-control.e2e.ts).
  const [agentTab] = await Promise.all([
    personContext.waitForEvent('page'),
    person.getByRole('link', { name: 'Open your agent in a new tab' }).click(),
  ]);
  await agentTab.waitForLoadState();
  await agentTab.getByRole('heading', { name: "nora's agent" }).waitFor();
  await agentTab.waitForTimeout(1_000);
  await agentTab.close();
  expect.soft(browserProblems.splice(0), 'the agent’s tab: errors in the browser').toEqual([]);

  // A run fails for good (as the stack.worker leaves it): the person's timeline says why, in words.
  const message = 'provision: docker: no space left on device (exit 125)';
  const runId = await insertFailedRun(stack.app.dataDir, 'nora', message, Date.now());
  const timeline = person.getByRole('region', { name: 'Provisioning timeline' });
  await timeline.getByText('The host script reported an error.').first().waitFor({ timeout: 30_000 });
  await timeline.getByText('Admins are told and can retry it from the step that failed.').waitFor();
  // The script's own message is the admins'.
  expect(await timeline.getByText(message).count()).toBe(0);
  await stop(person, 'dashboard-failed-run', (page) =>
    page
      .getByRole('region', { name: 'Provisioning timeline' })
      .getByText('The host script reported an error.')
      .first()
      .waitFor(),
  );

  // The admin: the overview lists it under "Needs attention"; the person's page has the error.
  await admin.getByRole('link', { name: 'Overview', exact: true }).click();
  await admin.waitForURL(`${stack.app.baseUrl}/admin`);
  const attention = (page: Page) => page.getByRole('region', { name: 'Needs attention' });
  const noraNeedsAttention = (page: Page) =>
    attention(page).getByRole('link', { name: 'nora', exact: true }).waitFor();
  await noraNeedsAttention(admin);
  const item = attention(admin).locator(`[data-run-id="${runId}"]`);
  expect(await item.textContent()).toContain('Provision failed at “run provision script”');
  expect(await item.textContent()).toContain(message);
  await stop(admin, 'admin-overview-needs-attention', noraNeedsAttention);
  await item.getByRole('link', { name: 'nora', exact: true }).click();
  await admin.waitForURL(/\/admin\/people\/[^/]+$/);
  const runError = (page: Page) =>
    page.getByRole('region', { name: 'Runs' }).getByText(message).first().waitFor();
  await runError(admin);
  await admin
    .getByRole('region', { name: 'Runs' })
    .getByRole('button', { name: 'Retry from failed step' })
    .waitFor();
  await stop(admin, 'admin-person-run-error', runError);

  // The rest of the admin panel, as a new admin would look around.
  await admin.getByRole('link', { name: 'People', exact: true }).click();
  await admin.waitForURL('**/admin/people');
  const noraListed = (page: Page) => page.getByRole('link', { name: 'nora', exact: true }).first().waitFor();
  await noraListed(admin);
  await stop(admin, 'admin-people', noraListed);
  await admin.getByRole('link', { name: 'Hosts', exact: true }).click();
  await admin.waitForURL('**/admin/hosts');
  // The stack.worker registered its own machine as the local host; both agents run there.
  const localHost = (page: Page) => page.getByText(/local · 2 of \d+ agents/).waitFor();
  await localHost(admin);
  await stop(admin, 'admin-hosts', localHost);
  await admin.getByRole('link', { name: 'Activity', exact: true }).click();
  await admin.waitForURL('**/admin/activity');
  const approvedRow = (page: Page) => page.locator('tr[data-action="person.approved"]').first().waitFor();
  await approvedRow(admin);
  await stop(admin, 'admin-activity', approvedRow);

  expect(browserProblems, 'errors in the stack.browser after the last stop').toEqual([]);
  await adminContext.close();
  await personContext.close();
});
