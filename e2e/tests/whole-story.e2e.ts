/**
 * The whole story with every part real: the production web server, the worker, an embedded Postgres and
 * the local host running a sample agent process. Sign-up → onboarding → pending → an admin approves in
 * bulk → the person watches the run's steps → agent running → launch → restart → the public toggle
 * changes what forward-auth answers.
 */

import { expect, test } from 'vitest';
import { screenshot, signInWithMagicLink } from '../src/browser';
import { useFullStack } from '../src/full-stack';

const stack = useFullStack();

async function forwardAuth(uri: string): Promise<number> {
  const res = await fetch(`${stack.app.baseUrl}/api/forward-auth`, { headers: { 'x-forwarded-uri': uri } });
  return res.status;
}

test('sign-up → approval → watched provisioning → launch → restart → public toggle', {
  timeout: 240_000,
}, async () => {
  const admin = await stack.browser.newContext();
  const adminPage = await admin.newPage();
  await signInWithMagicLink(adminPage, stack.app.baseUrl, 'story-admin@example.com', stack.app.magicLinkFor);
  await adminPage.waitForURL('**/onboarding');
  expect(
    (
      await admin.request.post(`${stack.app.baseUrl}/api/me/onboarding`, {
        data: { username: 'storyadmin' },
        headers: { origin: stack.app.baseUrl },
      })
    ).status(),
  ).toBe(200);

  const person = await stack.browser.newContext();
  const page = await person.newPage();
  await signInWithMagicLink(page, stack.app.baseUrl, 'story@example.com', stack.app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  await page.getByLabel('Username').fill('story');
  await expect.poll(() => page.getByText('story is available').count()).toBe(1);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Display name').fill('Story Teller');
  expect(await page.getByLabel('Time zone').inputValue()).not.toBe('');
  await page.getByRole('button', { name: 'Request access' }).click();
  await page.waitForURL('**/pending');

  // The admin selects everyone waiting and approves them in one go.
  await adminPage.goto(`${stack.app.baseUrl}/admin/approvals`);
  await adminPage.getByLabel('Select story').waitFor();
  const all = adminPage.getByLabel('Select all');
  await all.click();
  await expect.poll(() => all.isChecked()).toBe(true);
  await expect
    .poll(() => adminPage.getByRole('button', { name: /^Approve/ }).textContent())
    .toBe('Approve (1)');
  await adminPage.getByRole('button', { name: /^Approve/ }).click();
  await expect.poll(() => adminPage.getByRole('status').textContent()).toContain('Approved story.');

  // The person lands on the dashboard and watches the run until the agent is running.
  await page.waitForURL(`${stack.app.baseUrl}/`);
  const provision = page.locator('[data-run-kind="provision"]').first();
  await provision.waitFor({ timeout: 60_000 });
  await expect
    .poll(() => page.getByTestId('agent-observed-state').textContent(), { timeout: 90_000 })
    .toBe('running');
  await expect.poll(() => provision.getAttribute('data-run-status')).toBe('succeeded');
  const steps = await provision.locator('[data-step-status]').allTextContents();
  expect(steps.join(' | ')).toMatch(/place on host.*provision.*health/i);
  expect(await provision.locator('[data-step-status="failed"]').count()).toBe(0);
  // No identity provider is configured here: its step says it was skipped, and why, not a duration.
  const idp = provision.locator('[data-step-status="skipped"]').filter({ hasText: 'identity provider' });
  expect(await idp.textContent()).toMatch(/update identity provider.*skipped/);
  await screenshot(page, 'story-dashboard-running');

  // In a tab of its own: the stack.app proxies /agent/ to the person's own agent process.
  const [agentTab] = await Promise.all([
    person.waitForEvent('page'),
    page.getByRole('link', { name: 'Open your agent in a new tab' }).click(),
  ]);
  await agentTab.waitForLoadState();
  expect(await agentTab.getByRole('heading', { name: "story's agent" }).count()).toBe(1);
  await agentTab.close();

  // Restart, confirmed, then followed in the timeline.
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.getByRole('button', { name: 'Restart now' }).click();
  const restart = page.locator('[data-run-kind="restart"]').first();
  await restart.waitFor({ timeout: 60_000 });
  await expect.poll(() => restart.getAttribute('data-run-status'), { timeout: 90_000 }).toBe('succeeded');
  await expect.poll(() => page.getByTestId('agent-observed-state').textContent()).toBe('running');

  // Public toggle: forward-auth's answer for an anonymous visitor changes at once.
  expect(await forwardAuth('/u/story/agent/public/hello')).toBe(401);
  // The switch follows the server's answer, so it flips when the change is saved, not on the click.
  const publicSwitch = page.getByRole('switch');
  await publicSwitch.click();
  await expect.poll(() => publicSwitch.isChecked()).toBe(true);
  await expect.poll(() => forwardAuth('/u/story/agent/public/hello')).toBe(200);
  expect(await forwardAuth('/u/story/agent/private')).toBe(401);
  await publicSwitch.click();
  await expect.poll(() => publicSwitch.isChecked()).toBe(false);
  await expect.poll(() => forwardAuth('/u/story/agent/public/hello')).toBe(401);

  // The admin sees the agents on their host (story's and the admin's own) and the person's activity on
  // their agent.
  await adminPage.goto(`${stack.app.baseUrl}/admin`);
  const capacity = adminPage.getByText('Host capacity used').locator('..');
  expect(await capacity.textContent()).toMatch(/2 \/ \d+/);
  await adminPage.goto(`${stack.app.baseUrl}/admin/hosts`);
  await adminPage.getByText(/local · 2 of \d+ agents/).waitFor();
  await adminPage.goto(`${stack.app.baseUrl}/admin/people`);
  await adminPage.getByRole('link', { name: 'story', exact: true }).click();
  const activity = adminPage.getByRole('region', { name: 'Activity' });
  await activity.getByText('Agent restart requested').waitFor();
  await activity.getByText('Public URL turned off').waitFor();

  await admin.close();
  await person.close();
});
