/**
 * The client's address is the socket's (server.mjs's peer header), or what a configured number of
 * trusted proxies appended to X-Forwarded-For: never what the client itself claims
 * (docs/ARCHITECTURE.md, "Security rules"). Rate limits and the activity log both use it.
 */
import { auditEvents } from '@pocket-smyth/db';
import { desc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context';
import { clientIpFrom, normaliseAddress } from '../../src/rest/request-meta';
import { createWorld, makePerson, type World } from '../helpers';
import { call, restFor, tokenFor } from './rest-helpers';

const PEER = 'x-pocket-smyth-peer';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

const direct = { trustedProxyHops: 0, peerHeader: true };

describe('clientIpFrom', () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it('with no trusted proxy: the peer, whatever X-Forwarded-For and X-Real-IP claim', () => {
    const h = headers({ [PEER]: '192.0.2.10', 'x-forwarded-for': '203.0.113.1', 'x-real-ip': '203.0.113.2' });
    expect(clientIpFrom(h, direct)).toBe('192.0.2.10');
  });

  it('trusts nothing by default: no peer header, no forwarding header', () => {
    expect(clientIpFrom(headers({ [PEER]: '192.0.2.10', 'x-forwarded-for': '203.0.113.1' }))).toBeNull();
  });

  it('ignores a peer header the server in front does not vouch for (plain `next start`)', () => {
    const rule = { trustedProxyHops: 0, peerHeader: false };
    expect(clientIpFrom(headers({ [PEER]: '192.0.2.10' }), rule)).toBeNull();
  });

  it('with N trusted hops: the Nth X-Forwarded-For entry from the right', () => {
    const h = headers({ [PEER]: '10.0.0.2', 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.1' });
    expect(clientIpFrom(h, { trustedProxyHops: 1, peerHeader: true })).toBe('10.0.0.1');
    expect(clientIpFrom(h, { trustedProxyHops: 2, peerHeader: true })).toBe('198.51.100.7');
    // A shorter chain than configured: its leftmost entry, which a trusted proxy wrote.
    expect(
      clientIpFrom(headers({ 'x-forwarded-for': '198.51.100.8' }), { trustedProxyHops: 3, peerHeader: true }),
    ).toBe('198.51.100.8');
    // No header at all: the peer.
    expect(clientIpFrom(headers({ [PEER]: '10.0.0.2' }), { trustedProxyHops: 1, peerHeader: true })).toBe(
      '10.0.0.2',
    );
  });

  it('reads X-Forwarded-For sent as several header lines as one list', () => {
    const h = new Headers();
    h.append('x-forwarded-for', '6.6.6.6');
    h.append('x-forwarded-for', '198.51.100.9');
    expect(clientIpFrom(h, { trustedProxyHops: 1, peerHeader: false })).toBe('198.51.100.9');
  });

  it('normalises IPv4-mapped IPv6, brackets and ports; refuses what is not an address', () => {
    expect(normaliseAddress('::ffff:192.0.2.33')).toBe('192.0.2.33');
    expect(normaliseAddress('::FFFF:192.0.2.33')).toBe('192.0.2.33');
    expect(normaliseAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(normaliseAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normaliseAddress('::1')).toBe('::1');
    expect(normaliseAddress('192.0.2.1:5678')).toBe('192.0.2.1');
    for (const bad of [
      '',
      'unknown',
      '999.1.1.1',
      '1.2.3',
      'evil.test',
      '<script>',
      '1::2::3',
      'a'.repeat(100),
    ]) {
      expect(normaliseAddress(bad), bad).toBeNull();
    }
    expect(clientIpFrom(new Headers({ [PEER]: '::ffff:127.0.0.1' }), direct)).toBe('127.0.0.1');
  });
});

describe('the REST adapter', () => {
  it('rotating X-Forwarded-For does not escape the anonymous limit', async () => {
    const handler = restFor(world.db, {
      clientAddress: direct,
      rateLimits: {
        authenticated: { limit: 100, windowMs: 60_000 },
        anonymous: { limit: 3, windowMs: 60_000 },
      },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(handler, 'GET', '/me', {
        headers: {
          [PEER]: '192.0.2.77',
          'x-forwarded-for': `198.51.100.${i}`,
          'x-real-ip': `203.0.113.${i}`,
        },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('the activity log and a token’s last use record the peer, not the client’s claim', async () => {
    const person = await makePerson(world.db, 'pending');
    const secret = await tokenFor(world.db, world.founder, ['admin:users:write']);
    const res = await call(
      restFor(world.db, { clientAddress: direct }),
      'POST',
      `/users/${person.id}/approve`,
      {
        token: secret,
        headers: {
          [PEER]: '::ffff:192.0.2.51',
          'x-forwarded-for': '203.0.113.66',
          'x-real-ip': '203.0.113.67',
        },
      },
    );
    expect(res.status).toBe(200);
    const [event] = await world.db.select().from(auditEvents).orderBy(desc(sql`rowid`)).limit(1);
    expect(event).toMatchObject({ action: 'person.approved', targetId: person.id, ip: '192.0.2.51' });
    const tokens = await call(restFor(world.db), 'GET', '/tokens', {
      token: await tokenFor(world.db, world.founder, ['tokens:read']),
    });
    const used = (tokens.json as unknown as { prefix: string; lastUsedIp: string | null }[]).find((t) =>
      secret.startsWith(t.prefix),
    );
    expect(used?.lastUsedIp).toBe('192.0.2.51');
  });

  it('behind one trusted proxy, the address that proxy appended', async () => {
    const person = await makePerson(world.db, 'pending');
    const res = await call(
      restFor(world.db, { clientAddress: { trustedProxyHops: 1, peerHeader: true } }),
      'POST',
      `/users/${person.id}/approve`,
      {
        token: await tokenFor(world.db, world.founder, ['admin:users:write']),
        headers: { [PEER]: '10.0.0.5', 'x-forwarded-for': '6.6.6.6, 198.51.100.20' },
      },
    );
    expect(res.status).toBe(200);
    const [event] = await world.db.select().from(auditEvents).orderBy(desc(sql`rowid`)).limit(1);
    expect(event).toMatchObject({ targetId: person.id, ip: '198.51.100.20' });
  });
});

describe('the tRPC context (the one context factory)', () => {
  it('takes the address by the same rule', () => {
    const headers = new Headers({ [PEER]: '192.0.2.90', 'x-forwarded-for': '203.0.113.90' });
    expect(createContext({ db: world.db, principal: null, headers, clientAddress: direct }).ip).toBe(
      '192.0.2.90',
    );
    expect(createContext({ db: world.db, principal: null, headers }).ip).toBeNull();
  });
});
