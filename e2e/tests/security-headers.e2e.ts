/**
 * The portal's security headers (apps/web/src/server/security-headers.ts) against the production build:
 * every kind of answer carries them, a page's scripts carry the nonce of its own policy, another site
 * cannot frame the admin panel, the pages run in Chromium without a single CSP violation and still
 * hydrate, and a sign-in form posted before any script ran may still go to the OIDC provider.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIResponse, Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeAgentPort } from '../src/agent-access';
import { type AppServer, freePort, startApp } from '../src/app-server';
import { launchBrowser, screenshot, signInWithMagicLink } from '../src/browser';
import { type HeaderAgent, startFramingSite, startHeaderAgent, watchCsp } from '../src/csp-watch';
import { type FakeIdp, startFakeIdp } from '../src/oidc-idp';

let app: AppServer;
let idp: FakeIdp;
let browser: Browser;
let admin: BrowserContext;
let agent: HeaderAgent;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'ps-csp-agents-'));
  const appPort = await freePort();
  idp = await startFakeIdp(await freePort(), `http://localhost:${appPort}/api/auth/callback/oidc`);
  app = await startApp(
    {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_NAME: 'Test IdP',
      AGENT_STATE_DIR: stateDir,
    },
    appPort,
  );
  browser = await launchBrowser();
  // The first person on a fresh install is the admin.
  admin = await browser.newContext();
  const page = await admin.newPage();
  await signInWithMagicLink(page, app.baseUrl, 'csp-admin@example.com', app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  const onboarded = await admin.request.post(`${app.baseUrl}/api/me/onboarding`, {
    data: { username: 'cspadmin' },
    headers: { origin: app.baseUrl },
  });
  expect(onboarded.status()).toBe(200);
  await page.close();
  // The admin's agent, as the process runtime would leave it: a port file naming where it listens.
  agent = await startHeaderAgent();
  writeAgentPort(stateDir, 'cspadmin', agent.port);
});

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  await app?.stop();
  await idp?.stop();
  await agent?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** A policy's directives, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** Checks the portal's headers on one answer and returns its policy's nonce. */
function expectPortalHeaders(response: APIResponse, label: string): string {
  const headers = response.headers();
  const csp = headers['content-security-policy'];
  expect(csp, `${label}: Content-Security-Policy`).toBeTruthy();
  const d = directives(csp!);
  expect(d.get('frame-ancestors'), label).toEqual(["'self'"]);
  expect(d.get('object-src'), label).toEqual(["'none'"]);
  expect(d.get('base-uri'), label).toEqual(["'self'"]);
  expect(d.get('form-action'), label).toEqual(["'self'", idp.issuer]);
  expect(d.get('connect-src'), label).toEqual(["'self'"]);
  expect(d.get('default-src'), label).toEqual(["'self'"]);
  const script = d.get('script-src') ?? [];
  expect(script, label).toContain("'strict-dynamic'");
  expect(script, label).not.toContain("'unsafe-inline'");
  expect(script, label).not.toContain("'unsafe-eval'");
  const nonce = script.map((s) => /^'nonce-(.+)'$/.exec(s)?.[1]).find(Boolean);
  expect(nonce, `${label}: a nonce`).toBeTruthy();
  expect(headers['x-frame-options'], label).toBe('SAMEORIGIN');
  expect(headers['x-content-type-options'], label).toBe('nosniff');
  expect(headers['referrer-policy'], label).toBe('strict-origin-when-cross-origin');
  // http here: no HSTS (it is for an https AUTH_URL only).
  expect(headers['strict-transport-security'], label).toBeUndefined();
  return nonce!;
}

/** Every script element of an HTML page, with its nonce (or none). */
function scriptTags(html: string): { tag: string; nonce: string | undefined }[] {
  return [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => ({
    tag,
    nonce: /\snonce="([^"]*)"/.exec(tag)?.[1],
  }));
}

describe('headers', () => {
  test('on every kind of portal answer: pages, redirects, REST, the OpenAPI document and reference', async () => {
    const anonymous = await browser.newContext();
    const cases: [BrowserContext, string, number][] = [
      [anonymous, '/', 307],
      [anonymous, '/signin', 200],
      [anonymous, '/signin/check-email', 200],
      [anonymous, '/admin', 307],
      [anonymous, '/api/me', 401],
      [anonymous, '/api/openapi.json', 200],
      [anonymous, '/api/docs', 200],
      [anonymous, '/no-such-page', 404],
      [admin, '/', 200],
      [admin, '/admin', 200],
      [admin, '/admin/hosts', 200],
      [admin, '/api/me', 200],
    ];
    for (const [context, path, status] of cases) {
      const label = `${context === admin ? 'admin' : 'anonymous'} ${path}`;
      const response = await context.request.get(`${app.baseUrl}${path}`, { maxRedirects: 0 });
      expect(response.status(), label).toBe(status);
      const nonce = expectPortalHeaders(response, label);
      if (!response.headers()['content-type']?.startsWith('text/html')) continue;
      // The page was rendered for this request: each of its scripts carries this policy's nonce.
      const scripts = scriptTags(await response.text());
      expect(scripts.length, `${label}: scripts`).toBeGreaterThan(0);
      for (const { tag, nonce: own } of scripts) expect(own, `${label}: ${tag}`).toBe(nonce);
    }
    await anonymous.close();
  });

  test('a fresh nonce for every request', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await admin.request.get(`${app.baseUrl}/admin`, { maxRedirects: 0 });
      nonces.add(expectPortalHeaders(response, '/admin'));
    }
    expect(nonces.size).toBe(3);
  });

  test("Next's own assets are not sniffed; the agent's URL space keeps no portal policy", async () => {
    const html = await (await admin.request.get(`${app.baseUrl}/admin`)).text();
    const asset = /<script\b[^>]*\ssrc="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const js = await admin.request.get(`${app.baseUrl}${asset}`);
    expect(js.status()).toBe(200);
    expect(js.headers()['x-content-type-options']).toBe('nosniff');

    // The agent's answers are its own (apps/web/src/server/agent-proxy.ts adds a frame rule to those it
    // proxies); here nobody's agent runs, and the refusal is the agent proxy's, without the portal's policy.
    const anonymous = await browser.newContext();
    for (const path of ['/agent', '/u/cspadmin/agent/public']) {
      const response = await anonymous.request.get(`${app.baseUrl}${path}`, { maxRedirects: 0 });
      expect(response.status(), path).toBeGreaterThanOrEqual(400);
      expect(response.headers()['content-security-policy'] ?? '', path).not.toContain('script-src');
    }
    await anonymous.close();
  });
});

test('another site cannot frame the admin panel', async () => {
  const site = await startFramingSite(`${app.baseUrl}/admin`);
  const page = await admin.newPage();
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  try {
    await page.goto(site.url);
    await page.getByRole('heading', { name: 'Framing site' }).waitFor();
    // Give the frame its time to load (or to be refused).
    await page.waitForTimeout(2_000);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame, 'the iframe').toBeTruthy();
    await screenshot(page, 'security-framed-admin');
    // Refused: the frame holds the browser's error page, not the app (signed in, it would be the panel).
    expect(frame!.url()).not.toMatch(new RegExp(`^${app.baseUrl}`));
    const content = await frame!.evaluate(() => document.body?.textContent ?? '').catch(() => '');
    expect(content).not.toContain('Overview');
    expect(await frame!.locator('h1', { hasText: 'Overview' }).count()).toBe(0);
    expect(messages.join('\n')).toMatch(/frame-ancestors 'self'/);
  } finally {
    await page.close();
    await site.stop();
  }
});

test('signed-in pages run without a CSP violation and hydrate', async () => {
  const context = await browser.newContext({ storageState: await admin.storageState() });
  const csp = await watchCsp(context);
  const page = csp.watch(await context.newPage());

  for (const path of [
    '/admin',
    '/admin/approvals',
    '/admin/people',
    '/admin/activity',
    '/admin/outbox',
    '/api/docs',
  ]) {
    await page.goto(`${app.baseUrl}${path}`);
    await page.getByRole('heading').first().waitFor();
    await page.waitForLoadState('networkidle');
  }

  // The dashboard hydrates and talks to the API: a token made through the dialog.
  await page.goto(`${app.baseUrl}/`);
  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('csp check');
  await dialog.getByRole('checkbox').first().check();
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect.poll(() => page.getByTestId('new-token-secret').textContent()).toMatch(/^pst_/);
  await screenshot(page, 'security-dashboard');

  // The admin panel hydrates: a dialog opened by a click, client-side navigation.
  await page.goto(`${app.baseUrl}/admin/hosts`);
  await page.getByRole('button', { name: 'Add host' }).click();
  await page.getByRole('dialog').waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
  await page.waitForURL('**/admin/people');
  await page.getByRole('heading', { name: 'People' }).first().waitFor();
  await screenshot(page, 'security-admin');

  expect(csp.violations).toEqual([]);
  expect(csp.errors).toEqual([]);

  // The watch does see a violation when there is one: an image from another origin is refused.
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = 'http://127.0.0.1:9/elsewhere.png';
    document.body.append(img);
  });
  await expect.poll(() => csp.violations.length).toBe(1);
  expect(csp.violations[0]).toContain('img-src blocked http://127.0.0.1:9/elsewhere.png');
  await context.close();
});

test('anonymous pages run without a CSP violation', async () => {
  const context = await browser.newContext();
  const csp = await watchCsp(context);
  const page = csp.watch(await context.newPage());
  await page.goto(`${app.baseUrl}/signin`);
  await page.getByRole('heading', { name: 'Sign in to Pocket Smyth' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Email', { exact: true }).fill('csp-person@example.com');
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.waitForURL('**/signin/check-email**');
  await page.waitForLoadState('networkidle');
  expect(csp.violations).toEqual([]);
  expect(csp.errors).toEqual([]);
  await context.close();
});

describe("the agent's answers (local mode: proxied by the app)", () => {
  test('keep their own headers, without the portal policy, plus a frame rule', async () => {
    const plain = await admin.request.get(`${app.baseUrl}/agent/page`, { maxRedirects: 0 });
    expect(plain.status()).toBe(200);
    expect(plain.headers()['content-security-policy']).toBe("frame-ancestors 'self'");
    expect(plain.headers()['x-frame-options']).toBe('SAMEORIGIN');
    expect(plain.headers()['referrer-policy']).toBeUndefined();

    // An agent's own policy stays and only narrows: a second policy adds the frame rule; DENY stays DENY.
    const strict = await admin.request.get(`${app.baseUrl}/u/cspadmin/agent/strict`, { maxRedirects: 0 });
    expect(strict.status()).toBe(200);
    expect(strict.headers()['content-security-policy']).toBe("default-src 'none', frame-ancestors 'none'");
    expect(strict.headers()['x-frame-options']).toBe('DENY');
  });

  test("run as the agent wrote them (the portal's policy would refuse the inline script)", async () => {
    const page = await admin.newPage();
    await page.goto(`${app.baseUrl}/agent/page`);
    await page.getByRole('heading', { name: 'The agent' }).waitFor();
    await expect.poll(() => page.title()).toBe('agent ran its script');
    await page.close();
  });

  test('cannot be framed by another site', async () => {
    const site = await startFramingSite(`${app.baseUrl}/agent/page`);
    const page = await admin.newPage();
    try {
      await page.goto(site.url);
      await page.getByRole('heading', { name: 'Framing site' }).waitFor();
      await page.waitForTimeout(2_000);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame, 'the iframe').toBeTruthy();
      expect(frame!.url()).not.toMatch(new RegExp(`^${app.baseUrl}`));
      expect(await frame!.locator('h1', { hasText: 'The agent' }).count()).toBe(0);
    } finally {
      await page.close();
      await site.stop();
    }
  });
});

test('a sign-in form sent before any script ran still reaches the OIDC provider (form-action)', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  await page.goto(`${app.baseUrl}/signin`);
  await page.getByRole('button', { name: 'Continue with Test IdP' }).click();
  await page.waitForURL(`${idp.issuer}/**`);
  expect(messages.filter((m) => m.includes('Content Security Policy'))).toEqual([]);
  await context.close();
});
