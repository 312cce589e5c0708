/**
 * The portal's security headers (src/server/security-headers.ts): the policy for a nonce and a mode, the
 * static headers, how the proxy wrapper hands the nonce to Next's renderer, and the frame rule on agent
 * answers.
 */
import { getScriptNonceFromHeader } from 'next/dist/server/app-render/get-script-nonce-from-header';
import { NextRequest, NextResponse } from 'next/server';
import { describe, expect, it } from 'vitest';
import {
  agentFrameHeaders,
  contentSecurityPolicy,
  forwardRequestHeaders,
  isAgentPath,
  newNonce,
  PORTAL_PATHS_SOURCE,
  securityHeaderSettings,
  staticSecurityHeaders,
  withSecurityHeaders,
} from '../src/server/security-headers';

const production = securityHeaderSettings({ NODE_ENV: 'production', AUTH_URL: 'http://localhost:3000' });

/** The directives of a policy, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** The request headers Next renders with, as NextResponse.next({ request }) encodes them. */
function renderedRequestHeaders(response: Response): Map<string, string> {
  const names = response.headers.get('x-middleware-override-headers')?.split(',') ?? [];
  return new Map(names.map((n) => [n, response.headers.get(`x-middleware-request-${n}`) ?? '']));
}

describe('the content security policy', () => {
  it('allows only nonced scripts and what they load, and framing by the portal itself', () => {
    const csp = contentSecurityPolicy('abc123==', production);
    expect(csp).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123==' 'strict-dynamic'; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
    );
    const d = directives(csp);
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(d.get('script-src')).not.toContain("'unsafe-eval'");
    expect(d.has('upgrade-insecure-requests')).toBe(false);
  });

  it("adds 'unsafe-eval' in development only (React's debugging aids)", () => {
    const dev = securityHeaderSettings({ NODE_ENV: 'development' });
    expect(directives(contentSecurityPolicy('n', dev)).get('script-src')).toContain("'unsafe-eval'");
    for (const NODE_ENV of ['production', 'test', undefined]) {
      const csp = contentSecurityPolicy('n', securityHeaderSettings({ NODE_ENV }));
      expect(directives(csp).get('script-src')).not.toContain("'unsafe-eval'");
    }
  });

  it('lets forms reach the OIDC provider and, in subdomain mode, the other portal hosts', () => {
    const oidc = securityHeaderSettings({ OIDC_ISSUER: 'https://tenant.b2clogin.com/tenant/v2.0/' });
    expect(directives(contentSecurityPolicy('n', oidc)).get('form-action')).toEqual([
      "'self'",
      'https://tenant.b2clogin.com',
    ]);
    const subdomains = securityHeaderSettings({
      AUTH_URL: 'https://login.example.com',
      DOMAIN: 'example.com',
    });
    expect(directives(contentSecurityPolicy('n', subdomains)).get('form-action')).toEqual([
      "'self'",
      'https://*.example.com',
    ]);
    const withPort = securityHeaderSettings({ AUTH_URL: 'http://login.lvh.me:3000', DOMAIN: 'lvh.me' });
    expect(directives(contentSecurityPolicy('n', withPort)).get('form-action')).toEqual([
      "'self'",
      'http://*.lvh.me:3000',
    ]);
  });

  it('upgrades insecure requests behind https', () => {
    const https = securityHeaderSettings({ AUTH_URL: 'https://portal.example.com' });
    expect(directives(contentSecurityPolicy('n', https)).has('upgrade-insecure-requests')).toBe(true);
  });

  it('makes a fresh nonce each time, in the form Next reads back from the policy', () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(getScriptNonceFromHeader(contentSecurityPolicy(nonce, production))).toBe(nonce);
    }
  });
});

describe('the static headers', () => {
  it('refuse framing by others, sniffing, and cross-origin paths in the referrer', () => {
    expect(staticSecurityHeaders(production)).toEqual([
      ['X-Frame-Options', 'SAMEORIGIN'],
      ['X-Content-Type-Options', 'nosniff'],
      ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ]);
  });

  it('add HSTS only when the public URL is https', () => {
    expect(staticSecurityHeaders(securityHeaderSettings({}))).not.toContainEqual(
      expect.arrayContaining(['Strict-Transport-Security']),
    );
    expect(
      staticSecurityHeaders(securityHeaderSettings({ AUTH_URL: 'https://portal.example.com' })),
    ).toContainEqual(['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']);
  });
});

describe('the agent URL space', () => {
  it('is /agent/* and /u/{username}/agent/*, nothing else', () => {
    for (const p of ['/agent', '/agent/', '/agent/public/x', '/u/alice/agent', '/u/alice/agent/public'])
      expect(isAgentPath(p), p).toBe(true);
    for (const p of ['/', '/admin', '/agents', '/api/agent', '/u/alice', '/u/alice/agentx', '/x/agent'])
      expect(isAgentPath(p), p).toBe(false);
  });

  it("is what next.config.ts's headers() source leaves out", () => {
    const portal = new RegExp(`^${PORTAL_PATHS_SOURCE}$`);
    for (const p of [
      '/',
      '/admin',
      '/api/me',
      '/_next/static/x.js',
      '/agents',
      '/u/alice/agentx',
      '/agent',
      '/agent/x',
    ])
      expect(portal.test(p), p).toBe(!isAgentPath(p));
  });
});

describe('withSecurityHeaders (the proxy wrapper)', () => {
  const request = (url: string, headers: Record<string, string> = {}) =>
    new NextRequest(url, { headers: { cookie: 'a=b', 'user-agent': 'test', ...headers } });

  it('renders a page with the nonce of the policy the answer carries, keeping the request as it came', async () => {
    const proxy = withSecurityHeaders(() => NextResponse.next(), production);
    const response = await proxy(request('http://localhost:3000/admin'));
    const csp = response.headers.get('content-security-policy')!;
    expect(directives(csp).get('frame-ancestors')).toEqual(["'self'"]);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.has('strict-transport-security')).toBe(false);

    const rendered = renderedRequestHeaders(response);
    expect(rendered.get('content-security-policy')).toBe(csp);
    const nonce = getScriptNonceFromHeader(csp);
    expect(nonce).toBeTruthy();
    expect(rendered.get('x-nonce')).toBe(nonce);
    expect(rendered.get('cookie')).toBe('a=b');
    expect(rendered.get('user-agent')).toBe('test');
  });

  it('keeps the request headers the routing chose (a removed header stays removed)', async () => {
    const proxy = withSecurityHeaders((req: NextRequest) => {
      const headers = new Headers(req.headers);
      headers.delete('x-portal-read-only');
      headers.set('x-portal-owner', 'alice');
      return NextResponse.next({ request: { headers } });
    }, production);
    const response = await proxy(request('http://alice.example.com/', { 'x-portal-read-only': '1' }));
    const rendered = renderedRequestHeaders(response);
    expect(rendered.has('x-portal-read-only')).toBe(false);
    expect(rendered.get('x-portal-owner')).toBe('alice');
    expect(rendered.get('cookie')).toBe('a=b');
    expect(rendered.get('content-security-policy')).toBe(response.headers.get('content-security-policy'));
  });

  it("gives a different nonce to every request, and overrides a client's own policy header", async () => {
    const proxy = withSecurityHeaders(() => NextResponse.next(), production);
    const sent = { 'content-security-policy': "script-src 'nonce-attacker'", 'x-nonce': 'attacker' };
    const a = await proxy(request('http://localhost:3000/', sent));
    const b = await proxy(request('http://localhost:3000/', sent));
    const nonceA = renderedRequestHeaders(a).get('x-nonce');
    expect(nonceA).not.toBe('attacker');
    expect(nonceA).not.toBe(renderedRequestHeaders(b).get('x-nonce'));
    expect(getScriptNonceFromHeader(renderedRequestHeaders(a).get('content-security-policy')!)).toBe(nonceA);
  });

  it('puts the headers on answers the routing gives itself: redirects, its own pages, route handlers', async () => {
    const https = securityHeaderSettings({ AUTH_URL: 'https://login.example.com', DOMAIN: 'example.com' });
    for (const route of [
      () => NextResponse.redirect('https://login.example.com/signin', 307),
      () => new NextResponse('<h1>403</h1>', { status: 403 }),
      () => Response.redirect('https://login.example.com/', 308),
    ]) {
      const response = await withSecurityHeaders(route, https)(request('https://example.com/api/me'));
      expect(directives(response.headers.get('content-security-policy')!).get('frame-ancestors')).toEqual([
        "'self'",
      ]);
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
      expect(response.headers.has('x-middleware-override-headers')).toBe(false);
    }
  });

  it("leaves the agent's answers to the agent proxy, but not the routing's own refusals there", async () => {
    for (const path of ['/agent/', '/u/bob/agent/public/page']) {
      const passed = await withSecurityHeaders(
        () => NextResponse.next(),
        production,
      )(request(`http://localhost:3000${path}`));
      expect(passed.headers.has('content-security-policy')).toBe(false);
      expect(passed.headers.has('x-middleware-override-headers')).toBe(false);
      const refused = await withSecurityHeaders(
        () => new NextResponse('no', { status: 403 }),
        production,
      )(request(`http://localhost:3000${path}`));
      expect(refused.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it('forwards nothing for an answer that renders nothing', () => {
    const response = NextResponse.redirect('http://localhost:3000/signin');
    forwardRequestHeaders(response, new Headers({ a: 'b' }), { 'x-nonce': 'n' });
    expect([...response.headers.keys()].filter((k) => k.startsWith('x-middleware'))).toEqual([]);
  });
});

describe('agentFrameHeaders (proxied agent answers)', () => {
  it('lets only the same origin frame an agent that said nothing', () => {
    const headers = new Headers({ 'content-type': 'text/html' });
    agentFrameHeaders(headers);
    expect(headers.get('content-security-policy')).toBe("frame-ancestors 'self'");
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it("keeps the agent's own policy and adds the frame rule as a second one (both apply)", () => {
    const headers = new Headers({ 'content-security-policy': 'default-src *; frame-ancestors *' });
    agentFrameHeaders(headers);
    expect(headers.get('content-security-policy')).toBe(
      "default-src *; frame-ancestors *, frame-ancestors 'self'",
    );
  });

  it('keeps an agent that refuses all framing at that', () => {
    const headers = new Headers({ 'x-frame-options': 'DENY' });
    agentFrameHeaders(headers);
    expect(headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(headers.get('x-frame-options')).toBe('DENY');
  });
});
