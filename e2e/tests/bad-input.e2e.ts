/**
 * Bad input and client-chosen addresses against the production server (`pnpm start`, server.mjs):
 * - a path whose percent-encoding is not UTF-8 is a 400 (the REST error shape under /api, a small page
 *   elsewhere) with a log line, never Next's plain-text 500;
 * - the client's address is the socket's: a client-sent `x-pocket-smyth-peer` or X-Forwarded-For
 *   changes neither the anonymous rate limit nor the address the activity log records;
 * - /api/openapi.json names the configured public URL, whatever Host the client sends;
 * - a lone surrogate or a body that is not UTF-8 is a 400 on REST and tRPC alike.
 */
import { request as httpRequest } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { launchBrowser, signInWithMagicLink } from '../src/browser';
import { type ServerMjsApp, startServerMjsApp } from '../src/server-mjs-app';

let app: ServerMjsApp;
let browser: Browser;

beforeAll(async () => {
  app = await startServerMjsApp({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '5' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A plain HTTP GET with whatever headers (Host included), as any client can send it. */
function rawGet(pathname: string, headers: Record<string, string> = {}) {
  const url = new URL(app.baseUrl);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: url.port, path: pathname, method: 'GET', headers },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

const malformed = [
  '/api/%FF',
  '/api/users/%FF',
  '/api/usernames/%ED%A0%80',
  '/api/runs/%FF',
  '/api/me/runs/%FF',
  '/api/hosts/%FF/history',
  '/api/trpc/%FF',
  '/api/auth/%FF',
  '/admin/people/%FF',
  '/u/%FF/agent/x',
  '/agent/%FF',
];

test('malformed percent-encoding in a path is a 400, never a 500, and is logged', async () => {
  for (const pathname of malformed) {
    const res = await rawGet(pathname, { 'x-request-id': 'bad-input-e2e-0001' });
    expect(res.status, `${pathname}: ${res.body.slice(0, 200)}`).toBe(400);
    expect(res.headers['x-request-id']).toBe('bad-input-e2e-0001');
    if (pathname.startsWith('/api/')) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toEqual({
        error: {
          code: 'BAD_REQUEST',
          message: expect.stringMatching(/percent-encoded/),
          requestId: 'bad-input-e2e-0001',
        },
      });
    } else {
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('400 Bad request');
    }
    // The server's log reaches this process through a pipe, a moment after the answer.
    await vi.waitFor(
      () => expect(app.logs()).toContain(`${JSON.stringify(pathname)}: malformed percent-encoding`),
      { timeout: 5_000, interval: 50 },
    );
  }
  // Well-formed encodings are untouched.
  expect((await rawGet('/api/usernames/j%C3%BCrgen')).status).toBe(401);
  expect((await rawGet('/signin?next=%2Fadmin')).status).toBe(200);
});

test('/api/openapi.json names the configured URL, not the Host the client sent', async () => {
  const spoofs: Record<string, string>[] = [
    { host: 'evil.test' },
    { host: 'evil.test', 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'https' },
  ];
  for (const headers of spoofs) {
    const res = await rawGet('/api/openapi.json', headers);
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.body) as { servers: { url: string }[] };
    expect(doc.servers).toEqual([{ url: `${app.baseUrl}/api` }]);
    expect(res.body).not.toContain('evil.test');
    const docs = await rawGet('/api/docs', headers);
    expect(docs.status).toBe(200);
    expect(docs.body).not.toContain('evil.test');
  }
});

/** Same-origin requests from a signed-in page, with whatever headers and body the page chooses. */
function pageFetch(
  page: Page,
  pathname: string,
  init: { method: string; headers: Record<string, string>; body?: string | number[] },
) {
  return page.evaluate(
    async ([p, i]) => {
      const body = Array.isArray(i.body) ? new Uint8Array(i.body) : i.body;
      const res = await fetch(p, { method: i.method, headers: i.headers, body });
      return { status: res.status, text: await res.text() };
    },
    [pathname, init] as const,
  );
}

test('the activity log records the socket’s address, not a client-sent peer header or X-Forwarded-For', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithMagicLink(page, app.baseUrl, 'root@example.com', app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  const spoofed = {
    'x-pocket-smyth-peer': '203.0.113.99',
    'x-forwarded-for': '198.51.100.1',
    'x-real-ip': '198.51.100.2',
  };
  const onboard = await pageFetch(page, '/api/me/onboarding', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...spoofed },
    body: JSON.stringify({ username: 'rootadmin' }),
  });
  expect(onboard.status, onboard.text).toBe(200);
  const rs = await app.db.execute(
    "select a.ip from audit_events a join users u on u.id = a.actor_id where u.username = 'rootadmin' order by a.rowid desc limit 1",
  );
  expect(rs.rows.length).toBe(1);
  expect(['127.0.0.1', '::1']).toContain(rs.rows[0]?.ip);

  // A lone surrogate, and a body that is not UTF-8, are refused on both paths.
  const json = { 'content-type': 'application/json' };
  const surrogate = '{"displayName":"\\ud800"}';
  const rest = await pageFetch(page, '/api/me/preferences', {
    method: 'PATCH',
    headers: json,
    body: surrogate,
  });
  expect(rest.status, rest.text).toBe(400);
  const trpc = await pageFetch(page, '/api/trpc/user.updatePreferences', {
    method: 'POST',
    headers: json,
    body: surrogate,
  });
  expect(trpc.status, trpc.text).toBe(400);
  const notUtf8 = [
    ...new TextEncoder().encode('{"displayName":"'),
    0xff,
    0xfe,
    ...new TextEncoder().encode('"}'),
  ];
  const trpcBytes = await pageFetch(page, '/api/trpc/user.updatePreferences', {
    method: 'POST',
    headers: json,
    body: notUtf8,
  });
  expect(trpcBytes.status, trpcBytes.text).toBe(400);
  expect(trpcBytes.text).toContain('UTF-8');
  const stored = await app.db.execute("select preferences from users where username = 'rootadmin'");
  expect(String(stored.rows[0]?.preferences ?? '')).not.toMatch(/\\ud800|\uFFFD/i);
  await context.close();
});

test('rotating a client-sent peer header or X-Forwarded-For does not escape the anonymous limit', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await rawGet('/api/me', {
      'x-pocket-smyth-peer': `203.0.113.${i}`,
      'x-forwarded-for': `198.51.100.${i}`,
      'x-real-ip': `192.0.2.${i}`,
    });
    statuses.push(res.status);
  }
  // Five a minute for the one real address (12 calls over at most two windows: some are refused).
  expect(statuses).toContain(429);
  expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
});
