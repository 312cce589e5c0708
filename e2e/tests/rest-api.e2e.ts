import { readFileSync } from 'node:fs';
import path from 'node:path';
import createClient from 'openapi-fetch';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { renderApiTypes } from '../src/api-types';
import { type AppServer, startApp } from '../src/app-server';
import { launchBrowser, screenshot, signInWithMagicLink } from '../src/browser';
import type { paths } from '../src/generated/api';

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Signs a person in through the browser and returns the context, whose cookies the REST routes accept. */
async function signedIn(email: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithMagicLink(page, app.baseUrl, email, app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  await page.close();
  return context;
}

test('the served document matches the committed typed client', async () => {
  const served = await (await fetch(`${app.baseUrl}/api/openapi.json`)).json();
  const committed = readFileSync(
    path.resolve(import.meta.dirname, '..', 'src', 'generated', 'api.ts'),
    'utf8',
  );
  expect(await renderApiTypes(served)).toBe(committed);
});

test('GET /api/health answers for liveness, with nothing to sign in', async () => {
  const res = await fetch(`${app.baseUrl}/api/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('the document is served with an ETag, and a client that has it gets a 304', async () => {
  const first = await fetch(`${app.baseUrl}/api/openapi.json`);
  const etag = first.headers.get('etag');
  expect(etag).toMatch(/^"[\w-]{20,}"$/);
  expect(first.headers.get('content-type')).toContain('application/json');
  const again = await fetch(`${app.baseUrl}/api/openapi.json`, {
    headers: { 'if-none-match': `"other", ${etag}` },
  });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe('');
  const changed = await fetch(`${app.baseUrl}/api/openapi.json`, { headers: { 'if-none-match': '"other"' } });
  expect(changed.status).toBe(200);
  expect(changed.headers.get('etag')).toBe(etag);
});

test('a generated client drives the main routes with a scoped token', async () => {
  // The first person becomes the admin; the session cookie works for REST as it does in the browser.
  const adminContext = await signedIn('root@example.com');
  // Cookie-authenticated writes name the portal's origin, as its own pages do (request-origin.ts).
  const fromPortal = { origin: app.baseUrl };
  const onboard = await adminContext.request.post(`${app.baseUrl}/api/me/onboarding`, {
    data: { username: 'rootadmin' },
    headers: fromPortal,
  });
  expect(onboard.status()).toBe(200);
  const created = await adminContext.request.post(`${app.baseUrl}/api/tokens`, {
    headers: fromPortal,
    data: {
      name: 'ci',
      scopes: ['me:read', 'admin:users:read', 'admin:users:write', 'admin:system:read'],
      expiresInDays: 7,
    },
  });
  expect(created.status()).toBe(200);
  const { secret } = (await created.json()) as { secret: string };

  // Someone asks to join.
  const personContext = await signedIn('dana@example.com');
  expect(
    (
      await personContext.request.post(`${app.baseUrl}/api/me/onboarding`, {
        data: { username: 'dana' },
        headers: fromPortal,
      })
    ).status(),
  ).toBe(200);

  const api = createClient<paths>({
    baseUrl: `${app.baseUrl}/api`,
    headers: { Authorization: `Bearer ${secret}` },
  });

  const me = await api.GET('/me');
  expect(me.data).toMatchObject({ email: 'root@example.com', role: 'admin', username: 'rootadmin' });
  expect(me.response.headers.get('x-request-id')).toBeTruthy();
  expect(me.response.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);

  const pending = await api.GET('/users', { params: { query: { status: 'pending' } } });
  expect(pending.data?.items.map((p) => p.username)).toEqual(['dana']);
  const dana = pending.data!.items[0]!;

  const approved = await api.POST('/users/{id}/approve', { params: { path: { id: dana.id } } });
  expect(approved.data).toEqual({ id: dana.id, status: 'active' });

  const again = await api.POST('/users/{id}/approve', { params: { path: { id: dana.id } } });
  expect(again.response.status).toBe(409);
  expect(again.error).toMatchObject({ error: { code: 'CONFLICT', message: 'dana is active, not pending.' } });

  const status = await api.GET('/system/status');
  expect(status.data?.people).toMatchObject({ active: 2, pending: 0 });

  // The token has no agent scope: least privilege holds over HTTP too.
  const agent = await api.GET('/me/agent');
  expect(agent.response.status).toBe(403);

  const unauthenticated = await fetch(`${app.baseUrl}/api/me`);
  expect(unauthenticated.status).toBe(401);
  expect(await unauthenticated.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

  // The readable reference is served by the app itself.
  const docs = await adminContext.newPage();
  await docs.goto(`${app.baseUrl}/api/docs`);
  expect(await docs.getByRole('heading', { name: 'Pocket Smyth API' }).count()).toBe(1);
  expect(await docs.locator('code', { hasText: '/users/{id}/approve' }).count()).toBeGreaterThan(0);
  await screenshot(docs, 'api-docs');

  await adminContext.close();
  await personContext.close();
});
