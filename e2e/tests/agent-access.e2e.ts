/**
 * Who reaches whose portal and agent (docs/ARCHITECTURE.md, "Hostnames"), against the production build:
 * - subdomain mode (DOMAIN=example.test, browsed through a Chromium that maps *.example.test to
 *   127.0.0.1; forward-auth asked with X-Forwarded-* headers as a reverse proxy would, with the cookie
 *   each host has: the portal's on login.DOMAIN, a host's own from the host-session handshake);
 * - local mode (one origin; the app proxies /agent/* to a real sample agent).
 * People are made through the real magic-link sign-in, REST onboarding and an admin's REST approval.
 * e2e/tests/behind-caddy.e2e.ts runs subdomain mode behind a real reverse proxy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  launchBrowserForDomain,
  type SampleAgent,
  sessionFetch,
  sessionTokenOf,
  startCustomServer,
  startSampleAgent,
  startWebSocketEchoAgent,
  writeAgentPort,
} from '../src/agent-access';
import { type AppServer, freePort, startApp } from '../src/app-server';
import { launchBrowser, screenshot, signInWithMagicLink } from '../src/browser';
import { askForwardAuth, HOST_SESSION_COOKIE, hostCookieOf, SESSION_COOKIE } from '../src/host-cookies';

interface Member {
  context: BrowserContext;
  token: string;
  /** Where they signed in: the portal's origin, which cookie-authenticated writes must name. */
  origin: string;
  id: string;
  username: string;
}

/** Magic-link sign-in at `origin`, then onboarding through REST (at `apiBase`, with the cookie). */
async function signUp(
  browser: Browser,
  app: AppServer,
  origin: string,
  email: string,
  username: string,
): Promise<Member> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithMagicLink(page, origin, email, app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  await page.close();
  const token = await sessionTokenOf(context);
  const call = sessionFetch(app.baseUrl, token);
  const onboard = await call('/api/me/onboarding', { json: { username }, headers: { origin } });
  expect(onboard.status, await onboard.text()).toBe(200);
  const me = (await (await call('/api/me')).json()) as { id: string };
  return { context, token, origin, id: me.id, username };
}

async function approve(app: AppServer, admin: Member, person: Member): Promise<void> {
  const res = await sessionFetch(app.baseUrl, admin.token)(`/api/users/${person.id}/approve`, {
    json: {},
    headers: { origin: admin.origin },
  });
  expect(res.status, await res.text()).toBe(200);
}

async function setPublic(app: AppServer, person: Member, enabled: boolean): Promise<void> {
  const res = await sessionFetch(app.baseUrl, person.token)('/api/me/agent/public', {
    method: 'PUT',
    json: { enabled },
    headers: { origin: person.origin },
  });
  expect(res.status, await res.text()).toBe(200);
}

async function revoke(app: AppServer, admin: Member, person: Member): Promise<void> {
  const res = await sessionFetch(app.baseUrl, admin.token)(`/api/users/${person.id}/revoke`, {
    json: { reason: 'e2e: access test' },
    headers: { origin: admin.origin },
  });
  expect(res.status, await res.text()).toBe(200);
}

describe('subdomain mode (DOMAIN=example.test)', () => {
  const domain = 'example.test';
  let app: AppServer;
  let browser: Browser;
  let port: number;
  let admin: Member;
  let alice: Member;
  let bob: Member;
  const at = (label: string, pathname = '/') => `http://${label}.${domain}:${port}${pathname}`;

  beforeAll(async () => {
    port = await freePort();
    app = await startApp({ DOMAIN: domain, AUTH_URL: `http://login.${domain}:${port}` }, port);
    browser = await launchBrowserForDomain(domain);
    const login = at('login', '').replace(/\/$/, '');
    admin = await signUp(browser, app, login, 'root@example.com', 'rootadmin');
    alice = await signUp(browser, app, login, 'alice@example.com', 'alice');
    bob = await signUp(browser, app, login, 'bob@example.com', 'bob');
    await approve(app, admin, alice);
    await approve(app, admin, bob);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /**
   * The cookie `who`'s browser holds for `{username}.DOMAIN`, from the handshake: opening that host
   * makes one (for its owner, and for an active admin, who may view it read-only).
   */
  async function hostCookie(who: Member, username: string): Promise<string> {
    const page = await who.context.newPage();
    await page.goto(at(username));
    await page.close();
    return `${HOST_SESSION_COOKIE}=${await hostCookieOf(who.context, `${username}.${domain}`)}`;
  }

  const portalCookie = (who: Member) => `${SESSION_COOKIE}=${who.token}`;
  const ask = async (username: string, uri: string, cookie: string | null) =>
    (await askForwardAuth(app.baseUrl, domain, username, uri, cookie)).status;

  test('forward-auth: the owner 200, nobody signed in 401, anyone else 403 (admins too)', async () => {
    const aliceOnAlice = await hostCookie(alice, 'alice');
    const bobOnBob = await hostCookie(bob, 'bob');
    const adminOnAlice = await hostCookie(admin, 'alice');
    expect(await ask('alice', '/agent/', aliceOnAlice)).toBe(200);
    expect(await ask('alice', '/agent/chat?x=1', aliceOnAlice)).toBe(200);
    expect(await ask('alice', '/agent/', null)).toBe(401);
    expect(await ask('alice', '/agent/', adminOnAlice)).toBe(403);
    expect(await ask('bob', '/agent/', bobOnBob)).toBe(200);
    // Credentials never cross hosts: the portal's cookie, or another host's, is nobody here.
    expect(await ask('alice', '/agent/', portalCookie(alice))).toBe(401);
    expect(await ask('alice', '/agent/', bobOnBob)).toBe(401);
    expect(await ask('bob', '/agent/', aliceOnAlice)).toBe(401);
    // A name with no agent is nobody's host: no cookie is valid there. A host that is not a person's.
    expect(await ask('nobody', '/agent/', bobOnBob)).toBe(401);
    expect(await ask('login', '/agent/', portalCookie(bob))).toBe(403);
    // A forged cookie is nobody.
    expect(await ask('alice', '/agent/', `${HOST_SESSION_COOKIE}=${'x'.repeat(43)}`)).toBe(401);
  });

  test('forward-auth: the public toggle changes the answer for /agent/public/* at once', async () => {
    const adminOnAlice = await hostCookie(admin, 'alice');
    expect(await ask('alice', '/agent/public/x', null)).toBe(401);
    expect(await ask('alice', '/agent/public/x', adminOnAlice)).toBe(403);
    await setPublic(app, alice, true);
    expect(await ask('alice', '/agent/public/x', null)).toBe(200);
    expect(await ask('alice', '/agent/public/x', adminOnAlice)).toBe(200);
    // Only the public subtree, however the path is spelled.
    for (const uri of [
      '/agent/secret',
      '/agent/public/../secret',
      '/agent/public/%2e%2e/secret',
      '/agent/public%2f..%2fsecret',
    ]) {
      expect(await ask('alice', uri, null), uri).toBe(401);
      expect(await ask('alice', uri, adminOnAlice), uri).toBe(403);
    }
    await setPublic(app, alice, false);
    expect(await ask('alice', '/agent/public/x', null)).toBe(401);
    expect(await ask('alice', '/agent/public/x', adminOnAlice)).toBe(403);
  });

  test('a portal subdomain is its owner’s: others 403, admins view it, unknown names 404', async () => {
    const bobPage = await bob.context.newPage();
    expect((await bobPage.goto(at('bob')))?.status()).toBe(200);
    expect((await bobPage.goto(at('alice')))?.status()).toBe(403);
    expect((await bobPage.goto(at('alice', '/admin')))?.status()).toBe(403);
    expect((await bobPage.goto(at('zed')))?.status()).toBe(404);
    // Not an admin: the admin pages are not there for him, on his own host either.
    expect((await bobPage.goto(at('bob', '/admin')))?.status()).toBe(404);
    // login.DOMAIN sends an active person home.
    await bobPage.goto(at('login'));
    expect(new URL(bobPage.url()).host).toBe(`bob.${domain}:${port}`);
    await bobPage.close();

    // An admin sees Alice's portal, not their own, and read-only: nothing there acts on her agent.
    const adminPage = await admin.context.newPage();
    expect((await adminPage.goto(at('alice')))?.status()).toBe(200);
    expect(await adminPage.getByRole('heading', { level: 1 }).textContent()).toBe('alice’s portal');
    expect(await adminPage.getByRole('note').textContent()).toContain('read-only');
    expect(await adminPage.getByTestId('read-only-agent-state').textContent()).toBeTruthy();
    for (const control of ['Restart', 'Create token', 'Launch agent']) {
      expect(await adminPage.getByText(control, { exact: true }).count(), control).toBe(0);
    }
    expect(await adminPage.getByRole('switch').count()).toBe(0);
    await screenshot(adminPage, 'admin-read-only-portal');
    // On their own host the admin gets their own dashboard as usual.
    await adminPage.goto(at('rootadmin'));
    expect(await adminPage.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, rootadmin');
    // The headers that make the read-only view come from the hostname proxy only: sent by the
    // browser to the admin's own host, they change nothing.
    await adminPage.setExtraHTTPHeaders({ 'x-portal-read-only': '1', 'x-portal-owner': 'alice' });
    await adminPage.goto(at('rootadmin'));
    expect(await adminPage.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, rootadmin');
    await adminPage.setExtraHTTPHeaders({});
    // The read-only view is alice's front page only; the admin pages are the admin's own host's.
    await adminPage.goto(at('alice', '/admin/people'));
    expect(adminPage.url()).toBe(at('rootadmin', '/admin/people'));
    await adminPage.close();
    // Every cookie is host-only: none is scoped to .DOMAIN, so none travels to another host.
    const cookies = await admin.context.cookies();
    expect(cookies.filter((c) => c.domain.startsWith('.')).map((c) => c.name)).toEqual([]);
    expect(cookies.find((c) => c.name === SESSION_COOKIE)?.domain).toBe(`login.${domain}`);

    // Nobody signed in is sent to sign in on login.DOMAIN.
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    await page.goto(at('alice'));
    expect(new URL(page.url()).host).toBe(`login.${domain}:${port}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await anonymous.close();
  });

  test('/api/* answers on every host, to that host’s own cookie', async () => {
    const page = await alice.context.newPage();
    await page.goto(at('alice'));
    for (const host of ['login', 'alice']) {
      const res = await page.goto(at(host, '/api/me'));
      if (!res) throw new Error(`no response from ${host}`);
      expect(res.status(), host).toBe(200);
      expect(((await res.json()) as { username: string }).username).toBe('alice');
    }
    await page.close();
  });

  test('a revoked person is signed out of everything', async () => {
    const page = await bob.context.newPage();
    expect((await page.goto(at('bob')))?.status()).toBe(200);
    const bobOnBob = `${HOST_SESSION_COOKIE}=${await hostCookieOf(bob.context, `bob.${domain}`)}`;
    expect(await ask('bob', '/agent/', bobOnBob)).toBe(200);
    await revoke(app, admin, bob);
    expect(await ask('bob', '/agent/', bobOnBob)).toBe(401);
    expect((await sessionFetch(app.baseUrl, bob.token)('/api/me')).status).toBe(401);
    await page.goto(at('bob'));
    expect(new URL(page.url()).host).toBe(`login.${domain}:${port}`);
    // Where the handshake sends them, the portal's cookie on login.DOMAIN says why.
    await page.getByTestId('signed-out-by-admin').getByText('Reason: e2e: access test').waitFor();
    await page.close();
  });
});

describe('local mode (one origin, the app proxies /agent/*)', () => {
  let app: AppServer;
  let browser: Browser;
  let stateDir: string;
  let agent: SampleAgent;
  let admin: Member;
  let alice: Member;
  let bob: Member;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'ps-agents-'));
    app = await startApp({ AGENT_STATE_DIR: stateDir });
    browser = await launchBrowser();
    admin = await signUp(browser, app, app.baseUrl, 'root@example.com', 'rootadmin');
    alice = await signUp(browser, app, app.baseUrl, 'alice@example.com', 'alice');
    bob = await signUp(browser, app, app.baseUrl, 'bob@example.com', 'bob');
    await approve(app, admin, alice);
    await approve(app, admin, bob);
    agent = await startSampleAgent(stateDir, 'alice');
  });

  afterAll(async () => {
    await agent?.stop();
    await browser?.close();
    await app?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  const get = (who: Member | null, pathname: string) =>
    sessionFetch(app.baseUrl, who?.token ?? null)(pathname);

  test('the owner reaches their agent through the app, at /agent/* and /u/{username}/agent/*', async () => {
    const health = await get(alice, '/agent/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', agent: 'alice' });
    const page = await alice.context.newPage();
    const res = await page.goto(`${app.baseUrl}/u/alice/agent/`);
    expect(res?.status()).toBe(200);
    expect(await page.getByRole('heading', { name: "alice's agent" }).count()).toBe(1);
    await page.close();
    // A POST with a body goes through too (the sample agent answers any method with its page).
    const post = await sessionFetch(app.baseUrl, alice.token)('/agent/form', { json: { hello: 'agent' } });
    expect(post.status).toBe(200);
    // The agent never sees the portal's session cookie: nothing to check on the sample agent, but
    // an agent that is not running answers 503, not someone else's agent.
    expect((await get(bob, '/agent/health')).status).toBe(503);
  });

  test('a trailing slash reaches the agent as sent, never a 308 to the path without it', async () => {
    // Relative links of a page served at /agent/ resolve against the slash; a redirect would break them.
    for (const pathname of ['/agent/', '/u/alice/agent/']) {
      const res = await get(alice, pathname);
      expect(res.status, pathname).toBe(200);
      expect(await res.text()).toContain('The sample agent, up since');
    }
    const nested = await get(alice, '/agent/public/docs/');
    expect(nested.status).toBe(200);
    expect(await nested.text()).toContain('<code>/agent/public/docs/</code>');
    // The portal's own pages still drop a trailing slash, as before.
    const portalPage = await get(alice, '/signin/');
    expect(portalPage.status).toBe(308);
    expect(portalPage.headers.get('location')).toMatch(/\/signin$/);
    // …and never to another site.
    const doubled = await get(alice, '//evil.test/');
    expect(doubled.headers.get('location') ?? '').not.toMatch(/^\/\//);
  });

  test('nobody else does: 401 signed out, 403 another person or an admin', async () => {
    expect((await get(null, '/agent/health')).status).toBe(401);
    expect((await get(null, '/u/alice/agent/health')).status).toBe(401);
    expect((await get(bob, '/u/alice/agent/health')).status).toBe(403);
    expect((await get(admin, '/u/alice/agent/health')).status).toBe(403);
    expect((await get(bob, '/u/nobody/agent/health')).status).toBe(404);
    // Bob's browser neither.
    const page = await bob.context.newPage();
    expect((await page.goto(`${app.baseUrl}/u/alice/agent/`))?.status()).toBe(403);
    expect((await page.goto(`${app.baseUrl}/admin`))?.status()).toBe(404);
    await page.close();
  });

  test('/u/{username}/agent/public/* opens to anyone while the public URL is on', async () => {
    expect((await get(null, '/u/alice/agent/public/hello')).status).toBe(401);
    await setPublic(app, alice, true);
    const open = await get(null, '/u/alice/agent/public/hello');
    expect(open.status).toBe(200);
    expect(await open.text()).toContain('alice&#39;s public page');
    expect((await get(bob, '/u/alice/agent/public/hello')).status).toBe(200);
    // The rest stays private, however the path is spelled.
    for (const p of [
      '/u/alice/agent/health',
      '/u/alice/agent/public/%2e%2e/health',
      '/u/alice/agent/public%2f..%2fhealth',
    ]) {
      expect((await get(null, p)).status, p).toBe(401);
    }
    await setPublic(app, alice, false);
    expect((await get(null, '/u/alice/agent/public/hello')).status).toBe(401);
  });

  test('WebSocket upgrades through server.mjs follow the same rule', async () => {
    const echo = await startWebSocketEchoAgent();
    writeAgentPort(stateDir, 'bob', echo.port);
    const custom = await startCustomServer(app, await freePort(), { AGENT_STATE_DIR: stateDir });
    const open = async (context: BrowserContext, pathname: string) => {
      const page = await context.newPage();
      await page.goto(`${custom.baseUrl}/api/openapi.json`);
      const result = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => ws.send('hello');
            ws.onmessage = (e) => {
              resolve(String(e.data));
              ws.close();
            };
            ws.onerror = () => resolve('refused');
          }),
        `${custom.baseUrl.replace('http', 'ws')}${pathname}`,
      );
      await page.close();
      return result;
    };
    const anonymous = await browser.newContext();
    try {
      // Plain pages are still Next's.
      expect((await fetch(`${custom.baseUrl}/signin`)).status).toBe(200);
      // The owner's socket reaches the agent, without the portal's cookies.
      expect(await open(bob.context, '/agent/ws')).toBe('/agent/ws hello cookie=');
      expect(await open(bob.context, '/u/bob/agent/ws')).toBe('/agent/ws hello cookie=');
      // Nobody else's does, public or not, until the public URL is on.
      expect(await open(alice.context, '/u/bob/agent/ws')).toBe('refused');
      expect(await open(admin.context, '/u/bob/agent/ws')).toBe('refused');
      expect(await open(anonymous, '/u/bob/agent/public/ws')).toBe('refused');
      await setPublic(app, bob, true);
      expect(await open(anonymous, '/u/bob/agent/public/ws')).toBe('/agent/public/ws hello cookie=');
      expect(await open(anonymous, '/u/bob/agent/ws')).toBe('refused');
      await setPublic(app, bob, false);
      expect(await open(anonymous, '/u/bob/agent/public/ws')).toBe('refused');
    } finally {
      await anonymous.close();
      await custom.stop();
      await echo.stop();
    }
  });

  test('an admin reads a person’s portal at /u/{username}, read-only; nobody else does', async () => {
    const page = await admin.context.newPage();
    expect((await page.goto(`${app.baseUrl}/u/bob`))?.status()).toBe(200);
    await page.getByText('You are viewing bob’s portal as an admin. It is read-only.').waitFor();
    // Nothing on it changes bob's agent.
    expect(await page.getByRole('button', { name: /Restart|Launch|Create token/ }).count()).toBe(0);
    // From the person's admin page, the way there.
    await page.goto(`${app.baseUrl}/admin/people/${bob.id}`);
    expect(await page.getByRole('link', { name: 'View their portal' }).getAttribute('href')).toBe('/u/bob');
    await page.close();
    const own = await bob.context.newPage();
    await own.goto(`${app.baseUrl}/u/bob`);
    expect(new URL(own.url()).pathname).toBe('/');
    // A person who is not an admin learns nothing, not even whether the name exists.
    expect((await own.goto(`${app.baseUrl}/u/alice`))?.status()).toBe(404);
    expect((await own.goto(`${app.baseUrl}/u/nobody`))?.status()).toBe(404);
    await own.close();
  });

  test('a revoked person is signed out of everything, and their open tab says why', async () => {
    expect((await get(alice, '/agent/health')).status).toBe(200);
    const openTab = await alice.context.newPage();
    await openTab.goto(app.baseUrl);
    await openTab.getByRole('heading', { name: /^Hello/ }).waitFor();
    await revoke(app, admin, alice);
    expect((await get(alice, '/agent/health')).status).toBe(401);
    expect((await get(alice, '/api/me')).status).toBe(401);
    // The dashboard left open notices on its next poll and moves to sign-in, which says what happened.
    await openTab.waitForURL('**/signin', { timeout: 30_000 });
    const notice = openTab.getByTestId('signed-out-by-admin');
    await notice.getByRole('heading', { name: 'Your access was revoked' }).waitFor();
    expect(await notice.textContent()).toContain('Reason: e2e: access test');
    await openTab.close();
    const page = await alice.context.newPage();
    await page.goto(app.baseUrl);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.getByTestId('signed-out-by-admin').waitFor();
    // Signed out, a browser is told so on a page with the way to sign in, not a bare line of text.
    const signedOut = await page.goto(`${app.baseUrl}/agent/`);
    expect(signedOut?.status()).toBe(401);
    await page.getByRole('heading', { name: 'Sign in to use this agent' }).waitFor();
    expect(await page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/signin');
    // Signing in again as a revoked person, their own agent says why it is out of reach.
    await signInWithMagicLink(page, app.baseUrl, 'alice@example.com', app.magicLinkFor);
    const revoked = await page.goto(`${app.baseUrl}/agent/`);
    expect(revoked?.status()).toBe(403);
    await page.getByRole('heading', { name: 'Your agent is not available' }).waitFor();
    expect(await page.textContent('body')).toContain('Your access was revoked');
    expect(await page.textContent('body')).not.toContain('someone else');
    // Scripts get the same words as text.
    const scripted = await sessionFetch(app.baseUrl, await sessionTokenOf(alice.context))('/agent/health');
    expect(scripted.status).toBe(403);
    expect(await scripted.text()).toMatch(/^Your agent is not available\. Your access was revoked/);
    await page.close();
  });
});
