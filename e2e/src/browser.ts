import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the background traffic that this closed network refuses turned off. */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

export const resultsDir = path.resolve(import.meta.dirname, '..', '..', 'test-results');

/** Screenshots land in test-results/ at the repo root, which CI keeps as artifacts. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: true });
}

/** Signs in through the real magic-link flow: the form, the outbox, then the link itself. */
export async function signInWithMagicLink(
  page: Page,
  baseUrl: string,
  email: string,
  magicLinkFor: (email: string) => Promise<string>,
): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.waitForURL('**/signin/check-email**');
  await page.goto(await magicLinkFor(email));
}
