/**
 * Subdomain mode end to end behind a real reverse proxy: Debian's Caddy running the shipped
 * infra/caddy/Caddyfile (docs/ARCHITECTURE.md, "Hostnames" and "Security rules"), in front of the
 * production build and an agent that echoes every request header it receives. Chromium maps
 * *.example.test to 127.0.0.1 and browses `login.example.test:PORT` and `{username}.example.test:PORT`.
 *
 * The rule under test: no portal credential ever reaches an agent container. The portal's session
 * cookie is host-only on login.DOMAIN; `{username}.DOMAIN` gets its own host-only cookie through the
 * host-session handshake, which grants only what that host serves, and Caddy strips it before
 * `/agent/*` reaches the agent.
 */
import path from 'node:path';
import { createClient } from '@libsql/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowserForDomain, sessionFetch, sessionTokenOf } from '../src/agent-access';
import { type AppServer, freePort, startApp } from '../src/app-server';
import { screenshot, signInWithMagicLink } from '../src/browser';
import {
  type Caddy,
  cookieNames,
  type EchoAgent,
  type EchoedRequest,
  PORTAL_COOKIE,
  requestVia,
  startCaddy,
  startHeaderEchoAgent,
} from '../src/caddy';
import { askForwardAuth, HOST_SESSION_COOKIE, hostCookieOf, SESSION_COOKIE } from '../src/host-cookies';

const domain = 'example.test';

interface Member {
  context: BrowserContext;
  /** The portal session (login.DOMAIN's cookie), for REST calls straight to the app. */
  token: string;
  id: string;
  username: string;
}

describe('subdomain mode behind Caddy', () => {
  let app: AppServer;
  let caddy: Caddy;
  let echo: EchoAgent;
  let browser: Browser;
  let port: number;
  let admin: Member;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  const at = (label: string, pathname = '/') => `http://${label}.${domain}:${port}${pathname}`;
  const hostOf = (label: string) => `${label}.${domain}:${port}`;
  const loginOrigin = () => `http://login.${domain}:${port}`;
  /** REST straight to the app with `who`'s portal cookie; writes name the portal's origin, as its pages do. */
  const rest =
    (who: Member) =>
    (pathname: string, init: { method?: string; json?: unknown } = {}) =>
      sessionFetch(app.baseUrl, who.token)(pathname, { ...init, headers: { origin: loginOrigin() } });

  async function signUp(email: string, username: string, context?: BrowserContext): Promise<Member> {
    context ??= await browser.newContext();
    const page = await context.newPage();
    await signInWithMagicLink(page, loginOrigin(), email, app.magicLinkFor);
    await page.waitForURL('**/onboarding');
    await page.close();
    const token = await sessionTokenOf(context);
    const onboard = await sessionFetch(app.baseUrl, token)('/api/me/onboarding', {
      json: { username },
      headers: { origin: loginOrigin() },
    });
    expect(onboard.status, await onboard.text()).toBe(200);
    const me = (await (await sessionFetch(app.baseUrl, token)('/api/me')).json()) as { id: string };
    return { context, token, id: me.id, username };
  }

  async function approve(person: Member) {
    const res = await rest(admin)(`/api/users/${person.id}/approve`, { json: {} });
    expect(res.status, await res.text()).toBe(200);
  }

  async function setPublic(person: Member, enabled: boolean) {
    const res = await rest(person)('/api/me/agent/public', { method: 'PUT', json: { enabled } });
    expect(res.status, await res.text()).toBe(200);
  }

  /** Opens `url` in a new page of `who`'s browser; returns the page and the final response. */
  async function visit(who: BrowserContext, url: string) {
    const page = await who.newPage();
    const res = await page.goto(url);
    if (!res) throw new Error(`no response for ${url}`);
    return { page, res };
  }

  /** What the echo agent answered to a page load. */
  async function echoed(res: { json(): Promise<unknown> }): Promise<EchoedRequest> {
    return (await res.json()) as EchoedRequest;
  }

  function expectNoPortalCookie(seen: EchoedRequest, who: string) {
    const names = cookieNames(seen.headers.cookie);
    expect(
      names.filter((n) => PORTAL_COOKIE.test(n)),
      `${who}: the agent received ${String(seen.headers.cookie)}`,
    ).toEqual([]);
  }

  /** Opens a WebSocket from `page` and returns the first message, or 'refused'. */
  function openSocket(page: Page, url: string): Promise<string> {
    return page.evaluate(
      (u) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(u);
          ws.onopen = () => ws.send('hello');
          ws.onmessage = (e) => {
            resolve(String(e.data));
            ws.close();
          };
          ws.onerror = () => resolve('refused');
        }),
      url,
    );
  }

  beforeAll(async () => {
    echo = await startHeaderEchoAgent();
    port = await freePort();
    app = await startApp({ DOMAIN: domain, AUTH_URL: `http://login.${domain}:${port}` });
    caddy = await startCaddy({
      port,
      domain,
      webUpstream: `127.0.0.1:${new URL(app.baseUrl).port}`,
      agentUpstream: `127.0.0.1:${echo.port}`,
    });
    browser = await launchBrowserForDomain(domain);
    admin = await signUp('root@example.com', 'rootadmin');
    alice = await signUp('alice@example.com', 'alice');
    bob = await signUp('bob@example.com', 'bob');
    carol = await signUp('carol@example.com', 'carol');
    for (const person of [alice, bob, carol]) await approve(person);
  });

  afterAll(async () => {
    const received = echo?.received ?? [];
    await browser?.close();
    await caddy?.stop();
    await app?.stop();
    await echo?.stop();
    // Whatever happened, nothing the agent received may carry a portal cookie.
    for (const seen of received) expectNoPortalCookie(seen, `${seen.method} ${seen.url}`);
  });

  test('the portal cookie stays on login.DOMAIN; the handshake gives alice.DOMAIN its own host-only cookie', async () => {
    const { page, res } = await visit(alice.context, at('login'));
    // An active person on login.DOMAIN goes home, through the handshake.
    expect(new URL(page.url()).host).toBe(hostOf('alice'));
    expect(new URL(page.url()).pathname).toBe('/');
    expect(res.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, alice');
    await screenshot(page, 'behind-caddy-owner-portal');
    await page.close();

    const cookies = await alice.context.cookies();
    // Nothing is scoped to .DOMAIN: every cookie is host-only.
    expect(cookies.filter((c) => c.domain.startsWith('.')).map((c) => `${c.name}@${c.domain}`)).toEqual([]);
    expect(cookies.find((c) => c.name === SESSION_COOKIE)).toMatchObject({
      domain: `login.${domain}`,
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    expect(cookies.find((c) => c.name === HOST_SESSION_COOKIE)).toMatchObject({
      domain: `alice.${domain}`,
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    // What Chromium would send to alice's agent holds no portal session at all.
    const toAgent = (await alice.context.cookies(at('alice', '/agent/'))).map((c) => c.name);
    expect(toAgent).not.toContain(SESSION_COOKIE);
  });

  test('a session cookie left on .DOMAIN from before is cleared on login.DOMAIN', async () => {
    // A browser signed in while the cookie was scoped to .DOMAIN still holds it (it would go to every
    // host, and over http shadow the new host-only cookie of the same name): login.DOMAIN's sign-in
    // pages and the handshake delete it, and only that one.
    const context = await browser.newContext();
    await context.addCookies([
      { name: SESSION_COOKIE, value: 'from-before', domain: `.${domain}`, path: '/', httpOnly: true },
    ]);
    const dave = await signUp('dave@example.com', 'dave', context);
    await approve(dave);
    const { page } = await visit(dave.context, at('login'));
    expect(new URL(page.url()).host).toBe(hostOf('dave'));
    await page.close();
    const cookies = await dave.context.cookies();
    expect(cookies.filter((c) => c.domain.startsWith('.')).map((c) => c.name)).toEqual([]);
    expect(cookies.find((c) => c.name === SESSION_COOKIE)?.domain).toBe(`login.${domain}`);
    await context.close();
  });

  test('the owner reaches the agent; the agent gets its own cookies and never the portal’s', async () => {
    await alice.context.addCookies([
      { name: 'agent-own', value: 'kept', domain: `alice.${domain}`, path: '/agent' },
    ]);
    const { page, res } = await visit(alice.context, at('alice', '/agent/hello?x=1'));
    expect(res.status()).toBe(200);
    // Framed only by the person's own portal, through Caddy as through the app's own proxy.
    expect(await res.headerValue('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(await res.headerValue('x-frame-options')).toBe('SAMEORIGIN');
    const seen = await echoed(res);
    await page.close();
    expect(seen.url).toBe('/hello?x=1');
    expectNoPortalCookie(seen, 'alice');
    expect(cookieNames(seen.headers.cookie)).toEqual(['agent-own']);
    expect(seen.headers['x-auth-user']).toBe('alice');
    expect(seen.headers['x-forwarded-prefix']).toBe('/agent');
  });

  test('Launch shows the agent framed inside its owner’s portal, through Caddy', async () => {
    const page = await alice.context.newPage();
    await page.goto(at('alice', '/launch'));
    const framed = page.frameLocator('iframe[title="alice’s agent"]');
    await expect
      .poll(() => framed.locator('body').textContent(), { timeout: 20_000 })
      .toContain('"x-auth-user":"alice"');
    await page.close();
  });

  test('everyone else is refused, and the agent never hears of it', async () => {
    const before = echo.received.length;
    // Bob is signed in on login.DOMAIN, but alice.DOMAIN is not his: the handshake refuses him.
    const bobs = await visit(bob.context, at('alice', '/agent/secret'));
    expect(bobs.res.status()).toBe(403);
    await bobs.page.close();
    // His portal cookie means nothing on a person's host, nor does his own host's cookie.
    const ownHost = await visit(bob.context, at('bob'));
    expect(ownHost.res.status()).toBe(200);
    await ownHost.page.close();
    const bobHostCookie = await hostCookieOf(bob.context, `bob.${domain}`);
    for (const cookie of [`${SESSION_COOKIE}=${bob.token}`, `${HOST_SESSION_COOKIE}=${bobHostCookie}`, '']) {
      const res = await requestVia(port, `alice.${domain}`, '/agent/secret', { headers: { cookie } });
      expect(res.status, cookie).toBe(401);
    }
    // An admin may view alice's portal read-only, but not use her agent.
    const view = await visit(admin.context, at('alice'));
    expect(view.res.status()).toBe(200);
    expect(await view.page.getByRole('heading', { level: 1 }).textContent()).toBe('alice’s portal');
    await view.page.close();
    const adminAgent = await visit(admin.context, at('alice', '/agent/secret'));
    expect(adminAgent.res.status()).toBe(403);
    await adminAgent.page.close();
    // A name nobody has.
    const nobody = await visit(bob.context, at('zed'));
    expect(nobody.res.status()).toBe(404);
    await nobody.page.close();
    expect(echo.received.length).toBe(before);
  });

  test('/agent/public/* is anyone’s while the toggle is on, and still carries no portal cookie', async () => {
    const before = echo.received.length;
    expect((await requestVia(port, `alice.${domain}`, '/agent/public/hi')).status).toBe(401);
    await setPublic(alice, true);
    const anonymous = await browser.newContext();
    try {
      for (const [who, context] of [
        ['anonymous', anonymous],
        ['bob', bob.context],
        ['admin', admin.context],
        ['alice', alice.context],
      ] as const) {
        const { page, res } = await visit(context, at('alice', '/agent/public/hi'));
        expect(res.status(), who).toBe(200);
        const seen = await echoed(res);
        await page.close();
        expect(seen.url, who).toBe('/public/hi');
        expectNoPortalCookie(seen, who);
      }
      // Only the public subtree, however the path is spelled.
      for (const uri of ['/agent/secret', '/agent/public/%2e%2e/secret', '/agent/public%2f..%2fsecret']) {
        expect((await requestVia(port, `alice.${domain}`, uri)).status, uri).toBe(401);
      }
      await setPublic(alice, false);
      expect((await requestVia(port, `alice.${domain}`, '/agent/public/hi')).status).toBe(401);
    } finally {
      await anonymous.close();
    }
    expect(echo.received.length).toBe(before + 4);
  });

  test('an admin’s host cookie for someone’s host grants the read-only page and nothing else', async () => {
    // Even if a proxy forwarded it, what alice's agent could take from a visiting admin is worthless.
    const adminOnAlice = await hostCookieOf(admin.context, `alice.${domain}`);
    const cookie = `${HOST_SESSION_COOKIE}=${adminOnAlice}`;
    const page = await requestVia(port, `alice.${domain}`, '/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('read-only');
    for (const [host, pathname] of [
      [`alice.${domain}`, '/api/me'],
      [`alice.${domain}`, '/api/users'],
      [`alice.${domain}`, '/api/system/status'],
      [`alice.${domain}`, '/api/trpc/admin.users.list'],
      [`login.${domain}`, '/api/me'],
      [`rootadmin.${domain}`, '/api/me'],
    ] as const) {
      const res = await requestVia(port, host, pathname, { headers: { cookie } });
      expect(res.status, `${host}${pathname}`).toBe(401);
    }
    // Admin pages on someone else's host send the admin to their own host.
    const admins = await requestVia(port, `alice.${domain}`, '/admin/people', { headers: { cookie } });
    expect(admins.status).toBe(307);
    expect(admins.headers.location).toBe(at('rootadmin', '/admin/people'));
    // A write is refused as well.
    const write = await requestVia(port, `alice.${domain}`, '/api/me/agent/public', {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
    });
    expect(write.status).toBe(401);
  });

  test('the handshake: single-use codes bound to one host, no open redirect', async () => {
    const portal = `${SESSION_COOKIE}=${alice.token}`;
    /** Asks login.DOMAIN for a code for alice's host, as alice; returns the callback URL it sends to. */
    const mint = async (next: string) => {
      const start = await requestVia(
        port,
        `login.${domain}`,
        `/api/host-session?host=alice&next=${encodeURIComponent(next)}`,
        { headers: { cookie: portal } },
      );
      expect(start.status).toBe(303);
      expect(start.headers['cache-control']).toBe('no-store');
      return new URL(String(start.headers.location));
    };
    const callback = await mint('//evil.test/x');
    expect(callback.host).toBe(hostOf('alice'));
    expect(callback.pathname).toBe('/api/host-session/callback');
    // The unsafe `next` was replaced by the host's root.
    expect(callback.searchParams.get('next')).toBe('/');
    const code = callback.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Shown to another host, a code is refused there, and spent.
    const elsewhere = await requestVia(
      port,
      `bob.${domain}`,
      `/api/host-session/callback?code=${code}&next=/`,
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers['set-cookie']).toBeUndefined();
    const spent = await requestVia(port, `alice.${domain}`, `/api/host-session/callback?code=${code}&next=/`);
    expect(spent.status).toBe(400);

    const fresh = (await mint('/agent/x?y=1')).searchParams.get('code') ?? '';
    const first = await requestVia(
      port,
      `alice.${domain}`,
      `/api/host-session/callback?code=${fresh}&next=${encodeURIComponent('https://evil.test/')}`,
    );
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(at('alice', '/'));
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie.startsWith(`${HOST_SESSION_COOKIE}=`)).toBe(true);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);

    // Once only.
    const again = await requestVia(
      port,
      `alice.${domain}`,
      `/api/host-session/callback?code=${fresh}&next=/`,
    );
    expect(again.status).toBe(400);
    expect(again.headers['set-cookie']).toBeUndefined();

    // A person the host does not belong to gets no code at all; nobody signed in goes to sign in; the
    // handshake is the login host's alone.
    const bobs = await requestVia(port, `login.${domain}`, '/api/host-session?host=alice&next=/', {
      headers: { cookie: `${SESSION_COOKIE}=${bob.token}` },
    });
    expect(bobs.status).toBe(403);
    const anonymous = await requestVia(port, `login.${domain}`, '/api/host-session?host=alice&next=/');
    expect(anonymous.status).toBe(307);
    expect(new URL(String(anonymous.headers.location)).pathname).toBe('/signin');
    const onAlice = await requestVia(port, `alice.${domain}`, '/api/host-session?host=alice&next=/', {
      headers: { cookie: portal },
    });
    expect(onAlice.status).toBe(404);
    // Nor does Auth.js answer on a person's host: no portal cookie can be set there.
    expect((await requestVia(port, `alice.${domain}`, '/api/auth/csrf')).status).toBe(404);
  });

  test('forward-auth hands back the Cookie header without the portal’s cookies (Traefik copies it)', async () => {
    const hostCookie = await hostCookieOf(alice.context, `alice.${domain}`);
    const ok = await askForwardAuth(
      app.baseUrl,
      domain,
      'alice',
      '/agent/x',
      `agent-own=kept; ${HOST_SESSION_COOKIE}=${hostCookie}; ${SESSION_COOKIE}=${alice.token}; other=1`,
    );
    expect(ok).toEqual({ status: 200, agentCookie: 'agent-own=kept; other=1' });
    // Nothing left: no Cookie header, so Traefik removes the request's.
    const bare = await askForwardAuth(
      app.baseUrl,
      domain,
      'alice',
      '/agent/x',
      `${HOST_SESSION_COOKIE}=${hostCookie}`,
    );
    expect(bare).toEqual({ status: 200, agentCookie: null });
  });

  test('a WebSocket passes through Caddy to the owner’s agent, without the portal’s cookies', async () => {
    const before = echo.received.length;
    const home = await visit(alice.context, at('alice'));
    const reply = await openSocket(home.page, `ws://${hostOf('alice')}/agent/ws`);
    await home.page.close();
    expect(reply).not.toBe('refused');
    const seen = JSON.parse(reply) as { url: string; text: string; headers: EchoedRequest['headers'] };
    expect(seen.url).toBe('/ws');
    expect(seen.text).toBe('hello');
    expect(seen.headers['x-auth-user']).toBe('alice');
    expectNoPortalCookie({ method: 'GET', url: seen.url, headers: seen.headers }, 'alice (WebSocket)');
    // Nobody else's socket gets through.
    const bobHome = await visit(bob.context, at('bob'));
    expect(await openSocket(bobHome.page, `ws://${hostOf('alice')}/agent/ws`)).toBe('refused');
    await bobHome.page.close();
    expect(echo.received.length).toBe(before + 1);
  });

  test('signing out on a person’s host ends the portal session and the host cookie at once', async () => {
    const { page } = await visit(carol.context, at('login'));
    expect(new URL(page.url()).host).toBe(hostOf('carol'));
    const hostCookie = await hostCookieOf(carol.context, `carol.${domain}`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`**//login.${domain}:${port}/signin**`);
    await page.close();
    expect((await rest(carol)('/api/me')).status).toBe(401);
    const res = await requestVia(port, `carol.${domain}`, '/api/me', {
      headers: { cookie: `${HOST_SESSION_COOKIE}=${hostCookie}` },
    });
    expect(res.status).toBe(401);
  });

  test('a host session in use slides, with the portal session behind it', async () => {
    const day = 86_400_000;
    const db = createClient({ url: `file:${path.join(app.dataDir, 'app.db')}` });
    try {
      // As if bob had signed in 28 days ago: both end in two days.
      const soon = Date.now() + 2 * day;
      await db.execute({
        sql: 'update sessions set expires = ? where session_token = ?',
        args: [soon, bob.token],
      });
      await db.execute({
        sql: 'update host_sessions set expires_at = ? where session_token = ?',
        args: [soon, bob.token],
      });
      const cookie = `${HOST_SESSION_COOKIE}=${await hostCookieOf(bob.context, `bob.${domain}`)}`;
      const res = await requestVia(port, `bob.${domain}`, '/', { headers: { cookie } });
      expect(res.status).toBe(200);
      // The host cookie again, for the full lifetime, and the portal session with it.
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie.startsWith(`${cookie};`)).toBe(true);
      const expires = Date.parse(/Expires=([^;]+)/i.exec(setCookie)?.[1] ?? '');
      expect(expires).toBeGreaterThan(Date.now() + 29 * day);
      const portal = await db.execute({
        sql: 'select expires from sessions where session_token = ?',
        args: [bob.token],
      });
      expect(Number(portal.rows[0]?.expires)).toBeGreaterThan(Date.now() + 29 * day);
      // Once slid, not again on the next request.
      const next = await requestVia(port, `bob.${domain}`, '/', { headers: { cookie } });
      expect(next.status).toBe(200);
      expect(next.headers['set-cookie']).toBeUndefined();
    } finally {
      db.close();
    }
  });

  test('a revocation acts at once on the host cookie and the agent', async () => {
    const { page, res } = await visit(alice.context, at('alice', '/agent/before'));
    expect(res.status()).toBe(200);
    await page.close();
    const hostCookie = await hostCookieOf(alice.context, `alice.${domain}`);
    const before = echo.received.length;
    const revoke = await rest(admin)(`/api/users/${alice.id}/revoke`, {
      json: { reason: 'e2e: behind caddy' },
    });
    expect(revoke.status, await revoke.text()).toBe(200);
    const cookie = `${HOST_SESSION_COOKIE}=${hostCookie}`;
    expect((await requestVia(port, `alice.${domain}`, '/agent/after', { headers: { cookie } })).status).toBe(
      401,
    );
    expect((await requestVia(port, `alice.${domain}`, '/api/me', { headers: { cookie } })).status).toBe(401);
    // In the browser: sent to sign in on login.DOMAIN.
    const after = await visit(alice.context, at('alice', '/agent/after'));
    expect(new URL(after.page.url()).host).toBe(hostOf('login'));
    expect(new URL(after.page.url()).pathname).toBe('/signin');
    await after.page.close();
    expect(echo.received.length).toBe(before);
  });
});
