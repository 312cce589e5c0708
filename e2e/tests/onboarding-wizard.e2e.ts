import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppServer, startApp } from '../src/app-server';
import { launchBrowser, screenshot, signInWithMagicLink } from '../src/browser';

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  // The first person on a fresh install becomes the admin; take that seat so the others wait for approval.
  const admin = await browser.newContext();
  const page = await admin.newPage();
  await signInWithMagicLink(page, app.baseUrl, 'wizard-admin@example.com', app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  expect(
    (
      await admin.request.post(`${app.baseUrl}/api/me/onboarding`, {
        data: { username: 'wizardadmin' },
        headers: { origin: app.baseUrl },
      })
    ).status(),
  ).toBe(200);
  await admin.close();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

test('keyboard only, on a phone in dark mode; a name taken between the steps sends the person back to step 1', async () => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await signInWithMagicLink(page, app.baseUrl, 'carol@example.com', app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  const currentStep = page.locator('li[aria-current="step"]');
  const username = page.getByLabel('Username');

  // Enter does nothing while the name breaks a rule, and moves on once it is free.
  await username.fill('Admin');
  await expect.poll(() => page.getByText('is reserved').count()).toBe(1);
  await username.press('Enter');
  expect(await currentStep.textContent()).toContain('Username');
  await username.fill('carol');
  await expect.poll(() => page.getByText('carol is available').count()).toBe(1);
  await username.press('Enter');
  await expect.poll(() => currentStep.textContent()).toContain('Preferences');
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Preferences');
  await screenshot(page, 'onboarding-preferences-dark-mobile');
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  ).toBeLessThanOrEqual(1);

  // Meanwhile someone else takes the name through the API.
  const rival = await browser.newContext();
  const rivalPage = await rival.newPage();
  await signInWithMagicLink(rivalPage, app.baseUrl, 'rival@example.com', app.magicLinkFor);
  await rivalPage.waitForURL('**/onboarding');
  expect(
    (
      await rival.request.post(`${app.baseUrl}/api/me/onboarding`, {
        data: { username: 'carol' },
        headers: { origin: app.baseUrl },
      })
    ).status(),
  ).toBe(200);
  await rival.close();

  // From the focused heading, Tab walks the controls in reading order; Space unticks the mail.
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el?.id || el?.getAttribute('name') || el?.getAttribute('aria-label') || el?.textContent;
    });
  for (const expected of ['Change username', 'display-name', 'time-zone', 'emailNotifications']) {
    await page.keyboard.press('Tab');
    expect(await focused()).toBe(expected);
  }
  const mail = page.getByLabel('Email me when my agent is ready or needs attention');
  await page.keyboard.press('Space');
  await expect.poll(() => mail.isChecked()).toBe(false);
  for (const expected of ['Back', 'Request access']) {
    await page.keyboard.press('Tab');
    expect(await focused()).toBe(expected);
  }
  await page.keyboard.press('Enter');

  // Back on step 1, with the refusal on the field and free alternatives to pick from.
  await expect.poll(() => currentStep.textContent()).toContain('Username');
  await expect.poll(() => page.locator('#username-error').textContent()).toBe('That username is taken.');
  const suggestion = page.getByRole('button', { name: 'carol2' });
  await suggestion.waitFor();
  await screenshot(page, 'onboarding-taken-dark-mobile');
  await suggestion.click();
  await expect.poll(() => page.getByText('carol2 is available').count()).toBe(1);
  await username.press('Enter');
  await expect.poll(() => currentStep.textContent()).toContain('Preferences');
  expect(await mail.isChecked()).toBe(false);
  await page.getByRole('button', { name: 'Request access' }).click();
  await page.waitForURL('**/pending');

  // What was chosen on step 2 is what the server stored.
  const me = await context.request.get(`${app.baseUrl}/api/me`);
  expect(me.status()).toBe(200);
  const body = (await me.json()) as { username: string; preferences: Record<string, unknown> };
  expect(body.username).toBe('carol2');
  expect(body.preferences).toMatchObject({ emailNotifications: false });
  expect(typeof body.preferences.timeZone).toBe('string');
  await context.close();
});

test('times show in the zone chosen at onboarding, not the browser’s, from the first paint', async () => {
  const context = await browser.newContext({ timezoneId: 'America/New_York' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await signInWithMagicLink(page, app.baseUrl, 'kenji@example.com', app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  await page.getByLabel('Username').fill('kenji');
  await expect.poll(() => page.getByText('kenji is available').count()).toBe(1);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await page.getByRole('button', { name: 'Request access' }).click();
  await page.waitForURL('**/pending');

  const me = (await (await context.request.get(`${app.baseUrl}/api/me`)).json()) as {
    requestedAt: string;
    preferences: { timeZone?: string };
  };
  expect(me.preferences.timeZone).toBe('Asia/Tokyo');
  const inZone = (timeZone: string) =>
    new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
      new Date(me.requestedAt),
    );
  // Tokyo and New York are 13–14 hours apart, so the two renderings never coincide.
  expect(inZone('Asia/Tokyo')).not.toBe(inZone('America/New_York'));
  // The server's HTML already has Tokyo time (nothing changes on hydration), and so does the page.
  const html = await (await context.request.get(`${app.baseUrl}/pending`)).text();
  expect(html).toContain(inZone('Asia/Tokyo'));
  const shown = page.locator(`time[datetime="${new Date(me.requestedAt).toISOString()}"]`);
  await expect.poll(() => shown.allTextContents()).toContain(inZone('Asia/Tokyo'));
  expect(await shown.first().getAttribute('title')).toBe(inZone('Asia/Tokyo'));
  expect(problems).toEqual([]);
  await context.close();
});
