/**
 * Cross-site request forgery, in a real browser against the production server (docs/ARCHITECTURE.md,
 * "Security rules": cookie-authenticated writes prove their origin). A signed-in admin opens a page on
 * another origin that holds an auto-submitting `enctype="text/plain"` form (no fields, so no body) to
 * `POST /api/users/{id}/approve`, and `no-cors` fetches to `POST /api/me/agent/restart` and to tRPC's
 * `agent.restart`. Neither the pending person nor the agent may change.
 *
 * The other origin is same-site with the portal, where SameSite=Lax does not keep the cookie back:
 * `localhost:<another port>` in local mode (ports do not make sites), and another person's
 * `{username}.DOMAIN` in subdomain mode (whose agent page is exactly such an attacker). A cross-site
 * page (`127.0.0.1`) is tried too. The same calls from the portal's own pages still work.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowserForDomain } from '../src/agent-access';
import { freePort } from '../src/app-server';
import { launchBrowser, signInWithMagicLink } from '../src/browser';
import { type OtherOrigin, startOtherOrigin } from '../src/other-origin';
import { type ServerMjsApp, startServerMjsApp } from '../src/server-mjs-app';

/** A page that forges three writes as soon as it loads. */
function forgeryPage(api: string, personId: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Win a prize</title></head><body>
<iframe name="sink" title="sink"></iframe>
<form id="f" method="POST" enctype="text/plain" target="sink" action="${api}/api/users/${personId}/approve"></form>
<script>
  const opts = { method: 'POST', credentials: 'include', mode: 'no-cors' };
  fetch('${api}/api/me/agent/restart', opts).catch(() => {});
  fetch('${api}/api/trpc/agent.restart', { ...opts, headers: { 'content-type': 'text/plain' }, body: '{}' }).catch(() => {});
  document.getElementById('f').submit();
</script></body></html>`;
}

/** Same-origin JSON from one of the portal's own pages, as the dashboard sends it. */
function portalFetch(page: Page, pathname: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ([p, b]) =>
      (
        await fetch(p, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: b === undefined ? undefined : JSON.stringify(b),
        })
      ).status,
    [pathname, body] as const,
  );
}

async function signUp(browser: Browser, app: ServerMjsApp, origin: string, email: string, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithMagicLink(page, origin, email, app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  expect(await portalFetch(page, '/api/me/onboarding', { username })).toBe(200);
  const rs = await app.db.execute({ sql: 'select id from users where username = ?', args: [username] });
  return { context, page, id: String(rs.rows[0]?.id) };
}

async function statusOf(app: ServerMjsApp, personId: string): Promise<string> {
  const rs = await app.db.execute({ sql: 'select status from users where id = ?', args: [personId] });
  return String(rs.rows[0]?.status);
}

async function restartRequestedAt(app: ServerMjsApp, personId: string): Promise<unknown> {
  const rs = await app.db.execute({
    sql: 'select restart_requested_at from agents where user_id = ?',
    args: [personId],
  });
  return rs.rows[0]?.restart_requested_at ?? null;
}

/**
 * Opens the forgery page in the admin's browser and waits for the three forged requests' answers
 * (status by path), as the network saw them: a `no-cors` answer is opaque to the page, not to us.
 */
async function visit(context: BrowserContext, url: string, api: string) {
  const page = await context.newPage();
  const answers = new Map<string, number>();
  page.on('response', (res) => {
    if (res.url().startsWith(`${api}/api/`) && res.request().method() === 'POST')
      answers.set(new URL(res.url()).pathname, res.status());
  });
  await page.goto(url);
  await expect.poll(() => answers.size, { timeout: 20_000 }).toBe(3);
  await page.close();
  return answers;
}

describe('local mode (one origin)', () => {
  let app: ServerMjsApp;
  let other: OtherOrigin;
  let browser: Browser;
  let admin: Awaited<ReturnType<typeof signUp>>;
  let dana: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    app = await startServerMjsApp();
    other = await startOtherOrigin();
    browser = await launchBrowser();
    admin = await signUp(browser, app, app.baseUrl, 'root@example.com', 'rootadmin');
    dana = await signUp(browser, app, app.baseUrl, 'dana@example.com', 'dana');
    // The admin's agent is up (as the worker would have it), so a restart could be requested.
    await app.db.execute({
      sql: "update agents set observed_state = 'running' where user_id = ?",
      args: [admin.id],
    });
    other.page('/evil.html', forgeryPage(app.baseUrl, dana.id));
  });

  afterAll(async () => {
    await browser?.close();
    await other?.stop();
    await app?.stop();
  });

  test('a page on another origin of the same site approves nobody and restarts nothing', async () => {
    expect(await statusOf(app, dana.id)).toBe('pending');
    const answers = await visit(admin.context, `http://localhost:${other.port}/evil.html`, app.baseUrl);
    // The cookie went along (same site): refused for where they came from, not for who sent them.
    expect(Object.fromEntries(answers)).toEqual({
      [`/api/users/${dana.id}/approve`]: 403,
      '/api/me/agent/restart': 403,
      '/api/trpc/agent.restart': 403,
    });
    expect(await statusOf(app, dana.id)).toBe('pending');
    expect(await restartRequestedAt(app, admin.id)).toBeNull();
  });

  test('a cross-site page (127.0.0.1) does no better', async () => {
    const answers = await visit(admin.context, `http://127.0.0.1:${other.port}/evil.html`, app.baseUrl);
    // SameSite=Lax keeps the cookie back across sites: refused as anonymous (REST 401, tRPC 415).
    for (const status of answers.values()) expect([401, 403, 415]).toContain(status);
    expect(await statusOf(app, dana.id)).toBe('pending');
    expect(await restartRequestedAt(app, admin.id)).toBeNull();
  });

  test('the portal’s own pages still approve and restart', async () => {
    const page = await admin.context.newPage();
    await page.goto(`${app.baseUrl}/`);
    expect(await portalFetch(page, `/api/users/${dana.id}/approve`, {})).toBe(200);
    expect(await statusOf(app, dana.id)).toBe('active');
    expect(await portalFetch(page, '/api/me/agent/restart')).toBe(200);
    expect(await restartRequestedAt(app, admin.id)).not.toBeNull();
    await page.close();
  });
  test('a server action replayed with a forged Origin and X-Forwarded-Host changes nothing', async () => {
    // The dashboard's public-URL switch is a server action. Its request is caught and held back here,
    // then replayed with the admin's cookie from "evil.test", a forwarded host to match: Next's own
    // check (Origin host = X-Forwarded-Host) passes, the portal's origin rule must not.
    const page = await admin.context.newPage();
    let caught: { url: string; headers: Record<string, string>; body: string } | null = null;
    await page.route('**/*', async (route) => {
      const req = route.request();
      if (req.method() === 'POST' && req.headers()['next-action']) {
        caught = { url: req.url(), headers: req.headers(), body: req.postData() ?? '' };
        await route.abort();
      } else await route.continue();
    });
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('switch').click();
    await expect.poll(() => caught !== null).toBe(true);
    await page.close();
    const action = caught as unknown as { url: string; headers: Record<string, string>; body: string };
    const publicUrlOn = async () => {
      const rs = await app.db.execute({
        sql: 'select public_url_enabled from agents where user_id = ?',
        args: [admin.id],
      });
      return Number(rs.rows[0]?.public_url_enabled);
    };
    const replay = (headers: Record<string, string>) =>
      admin.context.request.post(action.url, {
        headers: {
          'next-action': action.headers['next-action'] ?? '',
          'content-type': action.headers['content-type'] ?? 'text/plain;charset=UTF-8',
          accept: 'text/x-component',
          ...headers,
        },
        data: action.body,
      });
    expect(await publicUrlOn()).toBe(0);
    const forged = await replay({ origin: 'http://evil.test', 'x-forwarded-host': 'evil.test' });
    expect(await forged.text()).toContain('did not come from the portal');
    expect(await publicUrlOn()).toBe(0);
    // The same request from the portal's own origin goes through: the replay itself is sound.
    await replay({ origin: app.baseUrl });
    expect(await publicUrlOn()).toBe(1);
  });
});

describe('subdomain mode: another person’s subdomain is the attacker', () => {
  const domain = 'example.test';
  let app: ServerMjsApp;
  let other: OtherOrigin;
  let browser: Browser;
  let port: number;
  let admin: Awaited<ReturnType<typeof signUp>>;
  let dana: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    port = await freePort();
    const login = `http://login.${domain}:${port}`;
    app = await startServerMjsApp({ DOMAIN: domain, AUTH_URL: login }, port);
    other = await startOtherOrigin();
    browser = await launchBrowserForDomain(domain);
    admin = await signUp(browser, app, login, 'root@example.com', 'rootadmin');
    dana = await signUp(browser, app, login, 'dana@example.com', 'dana');
    await app.db.execute({
      sql: "update agents set observed_state = 'running' where user_id = ?",
      args: [admin.id],
    });
    other.page('/evil.html', forgeryPage(login, dana.id));
  });

  afterAll(async () => {
    await browser?.close();
    await other?.stop();
    await app?.stop();
  });

  test('bob.DOMAIN’s page cannot approve or restart with the admin’s login.DOMAIN cookie', async () => {
    const login = `http://login.${domain}:${port}`;
    const answers = await visit(admin.context, `http://bob.${domain}:${other.port}/evil.html`, login);
    expect([...answers.values()]).toEqual([403, 403, 403]);
    expect(await statusOf(app, dana.id)).toBe('pending');
    expect(await restartRequestedAt(app, admin.id)).toBeNull();
    // From login.DOMAIN itself the same approval goes through (a page there that redirects nowhere).
    const page = await admin.context.newPage();
    await page.goto(`${login}/api/me`);
    expect(await portalFetch(page, `/api/users/${dana.id}/approve`, {})).toBe(200);
    expect(await statusOf(app, dana.id)).toBe('active');
    await page.close();
  });
});
