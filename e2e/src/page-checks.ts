import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { createClient } from '@libsql/client';
import { timeOrderedId } from '@pocket-smyth/db';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AppServer } from './app-server';
import { signInWithMagicLink } from './browser';

/** The two widths every page is checked at: a laptop and a small phone. */
export const viewports = {
  desktop: { width: 1280, height: 900 },
  mobile: { width: 375, height: 812 },
} as const;

/**
 * Starts collecting what the browser reports as wrong on `page`: uncaught errors, console errors
 * (React's recoverable ones, a hydration mismatch among them) and failed loads, e.g. a 404 icon.
 * They go into `into` as they happen, each after `label` and the page's address when a label is given.
 */
export function browserErrors(page: Page, into: string[] = [], label?: string): string[] {
  const where = () => (label === undefined ? '' : `${label} ${page.url()}: `);
  page.on('pageerror', (error) => into.push(`${where()}pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // A failed load names the resource only in its location.
    const source = message.location().url;
    const at = source && source !== page.url() ? ` (${source})` : '';
    into.push(`${where()}console error: ${message.text()}${at}`);
  });
  return into;
}

/** The page's serious and critical axe findings, one line each with up to three of the elements. */
export async function seriousAxeFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page: page as never }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

/**
 * Switches the page's colour scheme and waits until the colours have arrived: buttons and links fade
 * between colours (Tailwind's `transition`), and a contrast check or a screenshot taken during the fade
 * sees colours halfway between the two palettes.
 */
export async function showColorScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  // A transition starts on the frame after the style change; CSSTransitions leave getAnimations() once done.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.waitForFunction(() => !document.getAnimations().some((a) => a instanceof CSSTransition), null, {
    timeout: 5_000,
  });
}

/** How many pixels the document is wider than the window: above 0, the page scrolls sideways. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Signs `email` in (magic link) and finishes onboarding through the API with `username`. */
export async function onboardThroughApi(
  app: AppServer,
  context: BrowserContext,
  email: string,
  username: string,
  preferences?: Record<string, unknown>,
): Promise<void> {
  const page = await context.newPage();
  await signInWithMagicLink(page, app.baseUrl, email, app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  const res = await context.request.post(`${app.baseUrl}/api/me/onboarding`, {
    data: preferences ? { username, preferences } : { username },
    headers: { origin: app.baseUrl },
  });
  if (res.status() !== 200) throw new Error(`onboarding ${username}: ${res.status()} ${await res.text()}`);
  await page.close();
}

/** A browser context of a new person, signed in by magic link and onboarded (pending until approved). */
export async function onboardedContext(
  browser: Browser,
  app: AppServer,
  email: string,
  username: string,
): Promise<BrowserContext> {
  const context = await browser.newContext();
  await onboardThroughApi(app, context, email, username);
  return context;
}

/**
 * Writes a provision run of `username`'s agent that failed for good at its second step, as the worker
 * leaves it (docs/ARCHITECTURE.md, "Runs and steps"), straight into the app's libSQL file; returns the run's id.
 * It started at `at` (two minutes ago by default) and ended 5 s later.
 */
export async function insertFailedRun(
  dataDir: string,
  username: string,
  message: string,
  at = Date.now() - 120_000,
): Promise<string> {
  const db = createClient({ url: `file:${path.join(dataDir, 'app.db')}` });
  try {
    const agent = await db.execute({
      sql: 'select agents.id from agents join users on users.id = agents.user_id where users.username = ?',
      args: [username],
    });
    const agentId = String(agent.rows[0]!.id);
    const runId = timeOrderedId(at);
    await db.execute({
      sql: `insert into runs (id, agent_id, username, kind, status, error_class, error_message, created_at,
              started_at, ended_at, updated_at) values (?, ?, ?, 'provision', 'failed', 'script_failed', ?, ?, ?, ?, ?)`,
      args: [runId, agentId, username, message, at, at, at + 5_000, at + 5_000],
    });
    const steps: [string, string, string | null, string | null, string][] = [
      ['place on host', 'succeeded', null, null, 'placed on local'],
      ['run provision script', 'failed', 'script_failed', message, 'pulling image\nno space left on device'],
      ['wait for health', 'queued', null, null, ''],
    ];
    for (const [position, [name, status, errorClass, stepMessage, tail]] of steps.entries()) {
      await db.execute({
        sql: `insert into run_steps (id, run_id, position, name, status, attempts, output_tail, error_class, message)
                values (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
        args: [`${runId}-${position}`, runId, position, name, status, tail, errorClass, stepMessage],
      });
    }
    return runId;
  } finally {
    db.close();
  }
}
