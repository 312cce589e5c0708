import { auditEvents } from '@pocket-smyth/db';
import { desc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, createWorld, makePerson, personRow, type World } from '../helpers';
import { call, restFor, scopesOf, tokenFor } from './rest-helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

describe('changes over REST are in the activity log with the token as actor', () => {
  it('records approve with actor kind token, the token id and the request id', async () => {
    const person = await makePerson(world.db, 'pending');
    const secret = await tokenFor(world.db, world.founder, ['admin:users:write']);
    const res = await call(restFor(world.db), 'POST', `/users/${person.id}/approve`, {
      token: secret,
      headers: { 'x-request-id': 'req-from-ci-0001', 'x-forwarded-for': '203.0.113.7' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: person.id, status: 'active' });
    const [event] = await world.db.select().from(auditEvents).orderBy(desc(sql`rowid`)).limit(1);
    expect(event).toMatchObject({
      action: 'person.approved',
      actorKind: 'token',
      actorLabel: expect.stringContaining(world.founder.email),
      targetId: person.id,
      requestId: 'req-from-ci-0001',
      ip: '203.0.113.7',
    });
    expect(event?.actorId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('someone else’s things are 404, never 403', () => {
  it('revoking another person’s token answers 404 and leaves it working', async () => {
    const alice = await makePerson(world.db, 'active');
    const bob = await makePerson(world.db, 'active');
    const bobsSecret = await tokenFor(world.db, bob, ['me:read']);
    const bobsList = await call(restFor(world.db), 'GET', '/tokens', {
      token: await tokenFor(world.db, bob, ['tokens:read']),
    });
    const bobsToken = (bobsList.json as unknown as { id: string; prefix: string }[]).find((t) =>
      bobsSecret.startsWith(t.prefix),
    )!;
    const res = await call(restFor(world.db), 'DELETE', `/tokens/${bobsToken.id}`, {
      token: await tokenFor(world.db, alice, ['tokens:write']),
    });
    expect(res.status).toBe(404);
    expect(res.json.error?.code).toBe('NOT_FOUND');
    expect((await call(restFor(world.db), 'GET', '/me', { token: bobsSecret })).status).toBe(200);
  });

  it('an unknown person id is 404 for an admin', async () => {
    const res = await call(restFor(world.db), 'GET', '/users/no-such-person', {
      token: await tokenFor(world.db, world.founder, ['admin:users:read']),
    });
    expect(res.status).toBe(404);
  });
});

describe('tokens never exceed their owner', () => {
  it('refuses admin scopes for a non-admin at creation', async () => {
    const person = await makePerson(world.db, 'active');
    const res = await call(restFor(world.db), 'POST', '/tokens', {
      token: await tokenFor(world.db, person, ['tokens:write']),
      body: { name: 'sneaky', scopes: ['admin:users:read'], expiresInDays: 1 },
    });
    expect(res.status).toBe(403);
  });

  it('an admin token stops working for admin routes once its owner is no longer an admin', async () => {
    const admin = await makePerson(world.db, 'admin');
    const secret = await tokenFor(world.db, admin, ['admin:users:read']);
    expect((await call(restFor(world.db), 'GET', '/users', { token: secret })).status).toBe(200);
    await world.db.run(sql`update users set role = 'user' where id = ${admin.id}`);
    expect((await call(restFor(world.db), 'GET', '/users', { token: secret })).status).toBe(403);
  });

  it('refuses an expiry beyond the configured maximum', async () => {
    const person = await makePerson(world.db, 'active');
    const res = await call(restFor(world.db, { tokenMaxDays: 30 }), 'POST', '/tokens', {
      token: await tokenFor(world.db, person, ['tokens:write']),
      body: { name: 'long', scopes: ['tokens:write'], expiresInDays: 31 },
    });
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toContain('30 days');
  });

  it('shows the secret once, stores only a hash, and records last use', async () => {
    const person = await makePerson(world.db, 'active');
    const created = await call(restFor(world.db), 'POST', '/tokens', {
      token: await tokenFor(world.db, person, ['tokens:write', 'me:read']),
      body: { name: 'ci', scopes: ['me:read'], expiresInDays: 7 },
    });
    expect(created.status).toBe(200);
    const secret = created.json.secret as string;
    expect(secret).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);
    const stored = await world.db.run(
      sql`select * from api_tokens where name = 'ci' and user_id = ${person.id}`,
    );
    expect(JSON.stringify(stored.rows)).not.toContain(secret.slice(4));
    await call(restFor(world.db), 'GET', '/me', {
      token: secret,
      headers: { 'x-forwarded-for': '198.51.100.4' },
    });
    const listed = await call(restFor(world.db), 'GET', '/tokens', {
      token: await tokenFor(world.db, person, ['tokens:read']),
    });
    const row = (listed.json as unknown as Record<string, unknown>[]).find((t) => t.name === 'ci');
    expect(row).toMatchObject({ lastUsedIp: '198.51.100.4', lastUsedAt: expect.any(String) });
    expect(row).not.toHaveProperty('secretHash');
    expect(JSON.stringify(listed.json)).not.toContain(secret);
  });
});

describe('hostile bodies get a clear 400 and write nothing', () => {
  async function reject(body: { raw?: RequestInit['body']; json?: unknown; contentType?: string }) {
    const person = await makePerson(world.db, 'active');
    const token = await tokenFor(world.db, world.founder, ['admin:users:write']);
    const before = await auditCount(world.db);
    const res = await call(restFor(world.db), 'POST', `/users/${person.id}/revoke`, {
      token,
      ...(body.json !== undefined ? { body: body.json } : { rawBody: body.raw }),
      ...(body.contentType ? { headers: { 'content-type': body.contentType } } : {}),
    });
    expect(await auditCount(world.db)).toBe(before);
    expect((await personRow(world.db, person.id))?.status).toBe('active');
    return res;
  }

  it('wrong types name the field', async () => {
    const res = await reject({ json: { reason: 42 } });
    expect(res.status).toBe(400);
    expect(res.json.error?.issues).toEqual([expect.objectContaining({ path: 'reason' })]);
    expect(res.json.error?.message).toContain('reason');
  });

  it('a 1 MB string is refused by its field limit', async () => {
    const res = await reject({ json: { reason: 'x'.repeat(1_000_000) } });
    expect(res.status).toBe(400);
    expect(res.json.error?.issues?.[0]?.path).toBe('reason');
  });

  it('a body over the size limit is refused before parsing', async () => {
    const res = await reject({ raw: JSON.stringify({ reason: 'x'.repeat(2_000_000) }) });
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('deeply nested JSON', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const res = await reject({ raw: `{"reason":${deep}}` });
    expect(res.status).toBe(400);
  });

  it('unknown fields', async () => {
    const res = await reject({ json: { reason: 'ok', role: 'admin' } });
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toMatch(/role|unrecognized/i);
  });

  it('bad UTF-8', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"reason":"'),
      0xff,
      0xfe,
      ...new TextEncoder().encode('"}'),
    ]);
    const res = await reject({ raw: bytes });
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toContain('UTF-8');
  });

  it('malformed JSON', async () => {
    const res = await reject({ raw: '{"reason": "unterminated' });
    expect(res.status).toBe(400);
  });

  it('a body that is not JSON at all', async () => {
    const res = await reject({ raw: 'reason=hello', contentType: 'text/plain' });
    expect(res.status).toBe(415);
  });
});

describe('errors never leak internals', () => {
  it('an unexpected failure is a generic 500 with the request id, no SQL or stack', async () => {
    const person = await makePerson(world.db, 'pending');
    const token = await tokenFor(world.db, world.founder, ['admin:users:write']);
    await world.db.run(
      sql.raw(
        `create trigger fail_audit before insert on audit_events begin select raise(abort, 'secret sql detail'); end`,
      ),
    );
    try {
      const res = await call(restFor(world.db), 'POST', `/users/${person.id}/approve`, { token });
      expect(res.status).toBe(500);
      expect(res.json.error).toEqual({
        code: 'INTERNAL_SERVER_ERROR',
        message: 'Something went wrong on our side.',
        requestId: res.headers.get('x-request-id'),
      });
      expect(JSON.stringify(res.json)).not.toMatch(/secret sql|at |\.ts:/);
    } finally {
      await world.db.run(sql.raw('drop trigger fail_audit'));
    }
  });

  it('an unknown route is a 404 in the same shape', async () => {
    const res = await call(restFor(world.db), 'GET', '/no/such/route', {
      token: await tokenFor(world.db, world.founder, scopesOf('admin')),
    });
    expect(res.status).toBe(404);
    expect(res.json.error?.code).toBe('NOT_FOUND');
  });
});

describe('rate limits', () => {
  it('a burst over the limit gets 429 with Retry-After and RateLimit headers, then recovers', async () => {
    const person = await makePerson(world.db, 'active');
    const secret = await tokenFor(world.db, person, ['me:read']);
    const windowMs = 1500;
    const handler = restFor(world.db, {
      rateLimits: { authenticated: { limit: 5, windowMs }, anonymous: { limit: 5, windowMs } },
    });
    // Start at a fresh window so all six requests land in one.
    await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 20));
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 6; i++) {
      last = await call(handler, 'GET', '/me', { token: secret });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers.get('ratelimit-limit')).toBe('5');
    expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(last!.json.error?.code).toBe('TOO_MANY_REQUESTS');
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    const after = await call(handler, 'GET', '/me', { token: secret });
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-remaining')).toBe('4');
  });

  it('anonymous calls are limited per address, and bad tokens count against it', async () => {
    const handler = restFor(world.db, {
      rateLimits: {
        authenticated: { limit: 100, windowMs: 60_000 },
        anonymous: { limit: 3, windowMs: 60_000 },
      },
    });
    const from = { 'x-forwarded-for': '192.0.2.99' };
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await call(handler, 'GET', '/me', { authorization: 'Bearer guess', headers: from })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const other = await call(handler, 'GET', '/me', { headers: { 'x-forwarded-for': '192.0.2.100' } });
    expect(other.status).toBe(401);
  });

  it('two handlers over one database share the count (as two web instances would)', async () => {
    const person = await makePerson(world.db, 'active');
    const secret = await tokenFor(world.db, person, ['me:read']);
    const limits = {
      authenticated: { limit: 2, windowMs: 60_000 },
      anonymous: { limit: 2, windowMs: 60_000 },
    };
    const a = restFor(world.db, { rateLimits: limits });
    const b = restFor(world.db, { rateLimits: limits });
    expect((await call(a, 'GET', '/me', { token: secret })).status).toBe(200);
    expect((await call(b, 'GET', '/me', { token: secret })).status).toBe(200);
    expect((await call(a, 'GET', '/me', { token: secret })).status).toBe(429);
  });
});

describe('agent logs over REST', () => {
  it('validates tail and since, answers an agent that never ran with no lines, and 404s an unknown person', async () => {
    const person = await makePerson(world.db, 'active');
    const token = await tokenFor(world.db, person, ['agent:read']);
    for (const query of [
      'tail=0',
      'tail=5001',
      'tail=ten',
      'since=yesterday',
      'since=2026-01-01T00:00:00Z%3Brm',
    ]) {
      const res = await call(restFor(world.db), 'GET', `/me/agent/logs?${query}`, { token });
      expect(res.status, query).toBe(400);
    }
    const res = await call(restFor(world.db), 'GET', '/me/agent/logs?tail=50&since=2026-01-01T00:00:00.5Z', {
      token,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ username: person.username, lines: [] });

    const admin = await tokenFor(world.db, world.founder, ['admin:users:read']);
    expect(
      (await call(restFor(world.db), 'GET', '/users/no-such-person/agent/logs', { token: admin })).status,
    ).toBe(404);
    const theirs = await call(restFor(world.db), 'GET', `/users/${person.id}/agent/logs`, { token: admin });
    expect(theirs.status).toBe(200);
    const [event] = await world.db.select().from(auditEvents).orderBy(desc(sql`rowid`)).limit(1);
    expect(event).toMatchObject({
      action: 'agent.logs_viewed',
      actorKind: 'token',
      targetLabel: person.username,
    });
  });
});
