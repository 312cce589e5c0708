/**
 * Where the app is reached comes from its configuration, never from a request's Host: the public origin
 * (OpenAPI `servers[]`, mail links) and the origins a cookie-authenticated write may come from.
 */
import { describe, expect, it } from 'vitest';
import {
  cookieWriteRefusal,
  originRefusal,
  portalOriginsFor,
  publicOriginOf,
} from '../../src/request-origin';

const local = { domain: null, authUrl: null, portalUrl: null, port: 3000 };
const host = (h: string) => new Headers({ host: h });

describe('publicOriginOf', () => {
  it('is AUTH_URL’s origin, else PORTAL_URL’s, else the mode’s default with PORT', () => {
    expect(publicOriginOf({ ...local, authUrl: 'https://portal.example.com/some/path' })).toBe(
      'https://portal.example.com',
    );
    expect(publicOriginOf({ ...local, portalUrl: 'http://intranet:8080/' })).toBe('http://intranet:8080');
    expect(publicOriginOf({ ...local, port: 4100 })).toBe('http://localhost:4100');
    expect(publicOriginOf({ ...local, domain: 'example.com' })).toBe('https://login.example.com');
    expect(
      publicOriginOf({ ...local, domain: 'example.com', authUrl: 'http://login.example.com:8080' }),
    ).toBe('http://login.example.com:8080');
  });
});

describe('portalOriginsFor', () => {
  const viewer = { username: 'alice' };

  it('one origin, configured: AUTH_URL and PORTAL_URL only, whatever Host says', () => {
    const origins = portalOriginsFor({
      ...local,
      authUrl: 'https://portal.example.com',
      portalUrl: 'http://10.0.0.5:3000',
    });
    expect(origins(viewer, host('evil.test'))).toEqual([
      'https://portal.example.com',
      'http://10.0.0.5:3000',
    ]);
  });

  it('one origin, nothing configured: the default and the request’s own Host', () => {
    const origins = portalOriginsFor(local);
    expect(origins(viewer, host('192.168.1.20:3000'))).toEqual([
      'http://localhost:3000',
      'http://192.168.1.20:3000',
      'https://192.168.1.20:3000',
    ]);
    // A Host that is not a host name adds nothing.
    expect(origins(viewer, host('evil.test/@x'))).toEqual(['http://localhost:3000']);
  });

  it('subdomain mode: login and the viewer’s own subdomain, with AUTH_URL’s scheme and port', () => {
    const origins = portalOriginsFor({
      ...local,
      domain: 'example.test',
      authUrl: 'http://login.example.test:4321',
    });
    expect(origins(viewer, host('bob.example.test:4321'))).toEqual([
      'http://login.example.test:4321',
      'http://alice.example.test:4321',
    ]);
    expect(origins({ username: null }, host('login.example.test:4321'))).toEqual([
      'http://login.example.test:4321',
    ]);
  });

  it('subdomain mode without AUTH_URL: either scheme, the port the request came to', () => {
    const origins = portalOriginsFor({ ...local, domain: 'example.test' });
    expect(origins({ username: 'Alice' }, host('alice.example.test'))).toEqual([
      'https://login.example.test',
      'http://login.example.test',
      'https://alice.example.test',
      'http://alice.example.test',
    ]);
  });
});

describe('cookieWriteRefusal', () => {
  const allowed = ['https://login.example.test', 'https://alice.example.test'];
  const req = (method: string, headers: Record<string, string>) => ({
    method,
    headers: new Headers(headers),
  });
  const json = { 'content-type': 'application/json; charset=utf-8' };

  it('lets reads through', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(cookieWriteRefusal(req(method, { origin: 'https://evil.test' }), allowed, '')).toBeNull();
    }
  });

  it('accepts an allowed origin in any spelling of it, with a JSON body or none', () => {
    expect(
      cookieWriteRefusal(req('POST', { origin: 'https://ALICE.example.test:443', ...json }), allowed, '{}'),
    ).toBeNull();
    expect(
      cookieWriteRefusal(req('DELETE', { origin: 'https://login.example.test' }), allowed, ''),
    ).toBeNull();
    expect(
      cookieWriteRefusal(req('PUT', { 'sec-fetch-site': 'same-origin', ...json }), allowed, '{}'),
    ).toBeNull();
  });

  it('refuses foreign, opaque, malformed and missing origins, and non-JSON bodies', () => {
    const refused: [string, Record<string, string>, string][] = [
      ['another person’s subdomain', { origin: 'https://bob.example.test', ...json }, '{}'],
      ['the apex', { origin: 'https://example.test', ...json }, '{}'],
      ['a look-alike', { origin: 'https://alice.example.test.evil.test', ...json }, '{}'],
      ['another scheme', { origin: 'http://alice.example.test', ...json }, '{}'],
      ['another port', { origin: 'https://alice.example.test:8443', ...json }, '{}'],
      ['opaque', { origin: 'null', ...json }, '{}'],
      ['not a URL', { origin: 'alice.example.test', ...json }, '{}'],
      [
        'cross-site despite the origin',
        { origin: 'https://alice.example.test', 'sec-fetch-site': 'cross-site', ...json },
        '{}',
      ],
      ['no origin, same-site', { 'sec-fetch-site': 'same-site', ...json }, '{}'],
      ['no origin at all', { ...json }, '{}'],
      ['text/plain', { origin: 'https://alice.example.test', 'content-type': 'text/plain' }, 'a=b'],
      [
        'a form',
        { origin: 'https://alice.example.test', 'content-type': 'application/x-www-form-urlencoded' },
        'a=b',
      ],
      [
        'multipart',
        { origin: 'https://alice.example.test', 'content-type': 'multipart/form-data; boundary=x' },
        '',
      ],
      ['a body without a type', { origin: 'https://alice.example.test' }, '{}'],
      ['json-ish', { origin: 'https://alice.example.test', 'content-type': 'application/jsonx' }, '{}'],
    ];
    for (const [what, headers, body] of refused) {
      expect(cookieWriteRefusal(req('POST', headers), allowed, body), what).toEqual(expect.any(String));
    }
  });
});

describe('originRefusal (the portal’s server actions)', () => {
  const allowed = ['https://login.example.test', 'https://alice.example.test'];
  const refused = (headers: Record<string, string>) => originRefusal(new Headers(headers), allowed);

  it('accepts an allowed origin whatever the body, and a same-origin request without one', () => {
    expect(refused({ origin: 'https://alice.example.test', 'content-type': 'text/plain' })).toBeNull();
    expect(refused({ origin: 'https://LOGIN.example.test:443', 'sec-fetch-site': 'same-origin' })).toBeNull();
    expect(refused({ 'sec-fetch-site': 'same-origin' })).toBeNull();
  });

  it('refuses what the cookie-write rule refuses for its origin', () => {
    const cases: [string, Record<string, string>][] = [
      ['another person’s subdomain', { origin: 'https://bob.example.test' }],
      ['another scheme', { origin: 'http://alice.example.test' }],
      ['opaque', { origin: 'null' }],
      [
        'cross-site despite the origin',
        { origin: 'https://alice.example.test', 'sec-fetch-site': 'cross-site' },
      ],
      ['no origin, same-site', { 'sec-fetch-site': 'same-site' }],
      ['no origin at all', {}],
    ];
    for (const [what, headers] of cases) expect(refused(headers), what).toEqual(expect.any(String));
  });
});
