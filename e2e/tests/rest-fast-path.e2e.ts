/**
 * REST calls with a token are served by server.mjs straight from the app's REST handler, without Next's
 * request pipeline (apps/web/server.mjs, "REST with a token"); everything else still goes through Next.
 * Same answers either way: bodies in and out, errors, the rate-limit headers, the security headers.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, signInWithMagicLink } from '../src/browser';
import { type ServerMjsApp, startServerMjsApp } from '../src/server-mjs-app';

let app: ServerMjsApp;
let browser: Browser;
let admin: BrowserContext;
let secret: string;

/** What the fast path answers JSON with; Next's answers carry the page policy with a nonce instead. */
const FAST_PATH_POLICY = "default-src 'none'; frame-ancestors 'none'";

beforeAll(async () => {
  app = await startServerMjsApp();
  browser = await launchBrowser();
  admin = await browser.newContext();
  const page = await admin.newPage();
  await signInWithMagicLink(page, app.baseUrl, 'root@example.com', app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  await page.close();
  const fromPortal = { origin: app.baseUrl };
  expect(
    (
      await admin.request.post(`${app.baseUrl}/api/me/onboarding`, {
        data: { username: 'rootadmin' },
        headers: fromPortal,
      })
    ).status(),
  ).toBe(200);
  const created = await admin.request.post(`${app.baseUrl}/api/tokens`, {
    headers: fromPortal,
    data: { name: 'fast', scopes: ['me:read', 'tokens:write'], expiresInDays: 7 },
  });
  expect(created.status(), await created.text()).toBe(200);
  secret = ((await created.json()) as { secret: string }).secret;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('a token call is answered by the REST handler directly, with the same body, limits and headers', async () => {
  const me = await fetch(`${app.baseUrl}/api/me`, { headers: bearer(secret) });
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ email: 'root@example.com', username: 'rootadmin' });
  expect(me.headers.get('content-security-policy')).toBe(FAST_PATH_POLICY);
  expect(me.headers.get('x-content-type-options')).toBe('nosniff');
  expect(me.headers.get('ratelimit-limit')).toBeTruthy();
  expect(me.headers.get('x-request-id')).toBeTruthy();

  // The same route on the session cookie goes through Next (and its per-request page policy).
  const viaNext = await admin.request.get(`${app.baseUrl}/api/me`);
  expect(viaNext.status()).toBe(200);
  expect(viaNext.headers()['content-security-policy']).toContain("'nonce-");
});

test('bodies stream in, and bad ones get the usual 400; a bad token the usual 401', async () => {
  const created = await fetch(`${app.baseUrl}/api/tokens`, {
    method: 'POST',
    headers: { ...bearer(secret), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'child', scopes: ['me:read'], expiresInDays: 1 }),
  });
  expect(created.status, await created.clone().text()).toBe(200);
  const child = ((await created.json()) as { secret: string }).secret;
  expect((await fetch(`${app.baseUrl}/api/me`, { headers: bearer(child) })).status).toBe(200);

  const broken = await fetch(`${app.baseUrl}/api/tokens`, {
    method: 'POST',
    headers: { ...bearer(secret), 'content-type': 'application/json' },
    body: '{"name": ',
  });
  expect(broken.status).toBe(400);
  expect(await broken.json()).toMatchObject({ error: { code: 'PARSE_ERROR' } });

  const wrong = await fetch(`${app.baseUrl}/api/me`, { headers: bearer(`pst_${'x'.repeat(40)}`) });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
});

test('routes that are not REST stay with Next even with an Authorization header', async () => {
  const health = await fetch(`${app.baseUrl}/api/health`, { headers: bearer(secret) });
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  const doc = await fetch(`${app.baseUrl}/api/openapi.json`, { headers: bearer(secret) });
  expect(doc.status).toBe(200);
  expect(doc.headers.get('content-security-policy')).not.toBe(FAST_PATH_POLICY);
});
