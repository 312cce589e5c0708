import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppServer, startApp } from '../src/app-server';
import { launchBrowser, screenshot, signInWithMagicLink } from '../src/browser';

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startApp({ ADMIN_CONTACT: 'help@example.com' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

test('sign in → onboarding → pending → an admin approves → the person sees the active dashboard', async () => {
  // The first person on a fresh install becomes an active admin and only picks a username.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInWithMagicLink(admin, app.baseUrl, 'ops@example.com', app.magicLinkFor);
  await admin.waitForURL('**/onboarding');
  // Told they are the admin, not asked to request access.
  await admin.getByRole('heading', { name: 'You’re an admin here' }).waitFor();
  await admin.getByLabel('Username').fill('opsadmin');
  await expect.poll(() => admin.getByText('opsadmin is available').count()).toBe(1);
  await admin.getByRole('button', { name: 'Continue' }).click();
  expect(await admin.getByRole('button', { name: 'Request access' }).count()).toBe(0);
  await admin.getByRole('button', { name: 'Start my agent' }).click();
  await admin.waitForURL(`${app.baseUrl}/`);
  await expect.poll(() => admin.getByRole('link', { name: 'Approvals' }).count()).toBe(1);

  // A second person signs up and waits.
  // A zone other than the machine's, to see that step 2 starts from the browser's own.
  const personContext = await browser.newContext({ timezoneId: 'Europe/Amsterdam' });
  const person = await personContext.newPage();
  await signInWithMagicLink(person, app.baseUrl, 'alice@example.com', app.magicLinkFor);
  await person.waitForURL('**/onboarding');
  await screenshot(person, 'onboarding');

  // A broken rule is explained in words, and a reserved name is refused before submission.
  await person.getByLabel('Username').fill('Admin');
  await expect.poll(() => person.getByText('is reserved').count()).toBe(1);
  await person.getByLabel('Username').fill('alice');
  await expect.poll(() => person.getByText('alice is available').count()).toBe(1);
  const currentStep = person.locator('li[aria-current="step"]');
  expect(await currentStep.textContent()).toBe('Step 1 of 2 · Username');
  await person.getByRole('button', { name: 'Continue' }).click();

  // Step 2: focus moves to its heading, the time zone starts as the browser's, and Back keeps the name.
  await expect.poll(() => currentStep.textContent()).toBe('Step 2 of 2 · Preferences');
  await expect.poll(() => person.evaluate(() => document.activeElement?.textContent)).toBe('Preferences');
  expect(await person.getByText('Your address:').locator('..').textContent()).toContain('alice');
  expect(await person.getByLabel('Time zone').inputValue()).toBe('Europe/Amsterdam');
  await screenshot(person, 'onboarding-preferences');
  await person.getByRole('button', { name: 'Back' }).click();
  await expect.poll(() => currentStep.textContent()).toBe('Step 1 of 2 · Username');
  expect(await person.getByLabel('Username').inputValue()).toBe('alice');
  await person.getByRole('button', { name: 'Continue' }).click();
  await person.getByLabel('Display name').fill('Alice Liddell');
  expect(await person.getByRole('heading', { name: 'You’re an admin here' }).count()).toBe(0);
  await person.getByRole('button', { name: 'Request access' }).click();
  await person.waitForURL('**/pending');
  await expect.poll(() => person.getByRole('heading', { name: 'Waiting for approval' }).count()).toBe(1);
  // By their name, what happens next, and how to reach an admin (ADMIN_CONTACT), under the portal header.
  await person.getByText('Thanks, Alice Liddell.').waitFor();
  expect(await person.getByRole('link', { name: 'help@example.com' }).getAttribute('href')).toBe(
    'mailto:help@example.com',
  );
  expect(await person.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
  await screenshot(person, 'pending');

  // A pending person cannot open the admin panel.
  const forbidden = await person.goto(`${app.baseUrl}/admin`);
  expect(forbidden?.status()).toBe(404);
  expect(await person.getByRole('heading', { name: 'There is nothing here' }).count()).toBe(1);
  await person.goto(`${app.baseUrl}/pending`);

  // The admin approves from the queue.
  await admin.goto(`${app.baseUrl}/admin/approvals`);
  await admin.getByLabel('Select alice').check();
  await screenshot(admin, 'admin-approvals');
  await admin.getByRole('button', { name: /^Approve/ }).click();
  await expect.poll(() => admin.getByRole('status').textContent()).toContain('Approved alice.');

  // The pending page notices by itself and moves on to the dashboard.
  await person.waitForURL(`${app.baseUrl}/`, { timeout: 20_000 });
  await expect.poll(() => person.getByRole('heading', { name: 'Hello, Alice Liddell' }).count()).toBe(1);
  expect(await person.getByTestId('agent-desired-state').textContent()).toBe('running');
  await screenshot(person, 'dashboard');

  // What onboarding chose can be changed on the dashboard, and the greeting follows.
  const preferences = person.getByRole('region', { name: 'Preferences' });
  expect(await preferences.getByLabel('Time zone').inputValue()).toBe('Europe/Amsterdam');
  const save = preferences.getByRole('button', { name: 'Save' });
  expect(await save.isDisabled()).toBe(true);
  await preferences.getByLabel('Display name').fill('Alice L.');
  await preferences.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await preferences.getByLabel('Email me when my agent is ready or needs attention').click();
  await save.click();
  await expect
    .poll(() => person.getByRole('status').filter({ hasText: 'Preferences saved.' }).count())
    .toBe(1);
  await expect.poll(() => person.getByRole('heading', { name: 'Hello, Alice L.' }).count()).toBe(1);
  const me = (await (await personContext.request.get(`${app.baseUrl}/api/me`)).json()) as {
    preferences: Record<string, unknown>;
  };
  expect(me.preferences).toEqual({
    displayName: 'Alice L.',
    timeZone: 'Asia/Tokyo',
    emailNotifications: false,
  });

  // Every step is in the activity log.
  await admin.goto(`${app.baseUrl}/admin/activity`);
  await admin.locator('tr[data-action]').first().waitFor();
  await screenshot(admin, 'admin-activity');
  for (const action of ['person.signed_up', 'person.signed_in', 'person.onboarded', 'person.approved']) {
    await expect.poll(() => admin.locator(`tr[data-action="${action}"]`).count()).toBeGreaterThan(0);
  }

  // Deleting someone goes straight to the list, and their page never says "not found" on the way. The
  // navigation is the client's, so what the page showed before it survives in `alerts`.
  const people = (await (await adminContext.request.get(`${app.baseUrl}/api/users?search=alice`)).json()) as {
    items: { id: string; username: string | null }[];
  };
  const aliceId = people.items.find((p) => p.username === 'alice')!.id;
  await admin.goto(`${app.baseUrl}/admin/people/${aliceId}`);
  await admin.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = admin.getByRole('dialog', { name: 'Delete alice?' });
  await dialog.getByLabel('Type “alice” to confirm').fill('alice');
  await admin.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { alerts: string[] }).alerts = seen;
    new MutationObserver(() => {
      document.querySelectorAll('[role="alert"]').forEach((el) => {
        seen.push(el.textContent ?? '');
      });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await dialog.getByRole('button', { name: 'Delete for good' }).click();
  await admin.waitForURL(`${app.baseUrl}/admin/people`);
  await admin.getByText('Deleted. Their agent is being removed.').waitFor();
  const alerts = await admin.evaluate(() => (window as unknown as { alerts: string[] }).alerts);
  expect(alerts.filter((text) => /not found/i.test(text))).toEqual([]);
  await expect.poll(() => admin.getByRole('link', { name: 'alice', exact: true }).count()).toBe(0);

  await adminContext.close();
  await personContext.close();
});
