/**
 * Cookie-authenticated writes prove they come from the portal (docs/ARCHITECTURE.md, "Security rules"),
 * on REST and on /api/trpc alike: a page on another origin (in subdomain mode, another person's agent
 * page, which is same-site) can make the browser send the session cookie with a plain form or a
 * `no-cors` fetch, but it cannot send the portal's Origin or a JSON body. Bearer tokens are unaffected.
 */
import type { Person } from '@pocket-smyth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrpcHandler } from '../../src/trpc-handler';
import { agentRowByPerson, auditCount, createWorld, makePerson, personRow, type World } from '../helpers';
import { call, restFor, tokenFor } from './rest-helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

/** The REST adapter as the app mounts it at http://localhost, with `who` signed in by cookie. */
function sessionRest(who: Person) {
  return restFor(world.db, {
    resolveSession: async () => who,
    portalOrigins: () => ['http://localhost'],
  });
}

async function runningAgentOf(person: Person): Promise<void> {
  const { agents } = await import('@pocket-smyth/db');
  const { eq } = await import('drizzle-orm');
  await world.db.update(agents).set({ observedState: 'running' }).where(eq(agents.userId, person.id));
}

const expectForbidden = (res: Awaited<ReturnType<typeof call>>) => {
  expect(res.status, JSON.stringify(res.json)).toBe(403);
  expect(res.json.error).toMatchObject({
    code: 'FORBIDDEN',
    message: expect.any(String),
    requestId: res.headers.get('x-request-id'),
  });
};

describe('REST: a write on the session cookie', () => {
  it('from another origin is 403 in the error shape, and the person stays pending', async () => {
    const person = await makePerson(world.db, 'pending');
    const before = await auditCount(world.db);
    const res = await call(sessionRest(world.founder), 'POST', `/users/${person.id}/approve`, {
      body: {},
      headers: { origin: 'http://evil.test', 'sec-fetch-site': 'cross-site' },
    });
    expectForbidden(res);
    expect((await personRow(world.db, person.id))?.status).toBe('pending');
    expect(await auditCount(world.db)).toBe(before);
  });

  it('as a plain HTML form would send it (text/plain, no body) is 403', async () => {
    const person = await makePerson(world.db, 'pending');
    const res = await call(sessionRest(world.founder), 'POST', `/users/${person.id}/approve`, {
      rawBody: '',
      headers: { origin: 'http://evil.test', 'content-type': 'text/plain' },
    });
    expectForbidden(res);
    expect((await personRow(world.db, person.id))?.status).toBe('pending');
  });

  it('with a text/plain body is 403, even from the portal’s own origin', async () => {
    const person = await makePerson(world.db, 'pending');
    const res = await call(sessionRest(world.founder), 'POST', `/users/${person.id}/approve`, {
      rawBody: '{"x":"=y"}',
      headers: { origin: 'http://localhost', 'content-type': 'text/plain' },
    });
    expectForbidden(res);
    expect(res.json.error?.message).toMatch(/JSON/);
    expect((await personRow(world.db, person.id))?.status).toBe('pending');
  });

  it('without Origin is 403 when Sec-Fetch-Site says cross-site, or says nothing', async () => {
    const person = await makePerson(world.db, 'pending');
    const cases: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      {},
    ];
    for (const headers of cases) {
      const res = await call(sessionRest(world.founder), 'POST', `/users/${person.id}/approve`, {
        body: {},
        headers,
      });
      expectForbidden(res);
    }
    expect((await personRow(world.db, person.id))?.status).toBe('pending');
  });

  it('with Origin "null" (a sandboxed frame) is 403', async () => {
    const person = await makePerson(world.db, 'pending');
    const res = await call(sessionRest(world.founder), 'POST', `/users/${person.id}/approve`, {
      body: {},
      headers: { origin: 'null' },
    });
    expectForbidden(res);
  });

  it('with an allowed Origin but Sec-Fetch-Site cross-site is 403', async () => {
    const person = await makePerson(world.db, 'pending');
    const res = await call(sessionRest(world.founder), 'POST', `/users/${person.id}/approve`, {
      body: {},
      headers: { origin: 'http://localhost', 'sec-fetch-site': 'cross-site' },
    });
    expectForbidden(res);
  });

  it('restarting the agent from another origin is 403 and requests no restart', async () => {
    const person = await makePerson(world.db, 'active');
    await runningAgentOf(person);
    const res = await call(sessionRest(person), 'POST', '/me/agent/restart', {
      rawBody: '',
      headers: { origin: 'http://localhost:4000' },
    });
    expectForbidden(res);
    expect((await agentRowByPerson(world.db, person.id))?.restartRequestedAt).toBeNull();
  });

  it('from the portal’s own origin with JSON goes through', async () => {
    const person = await makePerson(world.db, 'pending');
    const res = await call(sessionRest(world.founder), 'POST', `/users/${person.id}/approve`, {
      body: {},
      headers: { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await personRow(world.db, person.id))?.status).toBe('active');
  });

  it('without Origin but with Sec-Fetch-Site same-origin goes through; a body-less POST needs no Content-Type', async () => {
    const person = await makePerson(world.db, 'active');
    await runningAgentOf(person);
    const res = await call(sessionRest(person), 'POST', '/me/agent/restart', {
      rawBody: '',
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await agentRowByPerson(world.db, person.id))?.restartRequestedAt).toBeInstanceOf(Date);
  });

  it('a read on the cookie is not checked (the browser keeps its answer from other origins)', async () => {
    const res = await call(sessionRest(world.founder), 'GET', '/me', {
      headers: { origin: 'http://evil.test' },
    });
    expect(res.status).toBe(200);
  });

  it('the default policy (no portalOrigins) is the request URL’s own origin', async () => {
    const handler = restFor(world.db, { resolveSession: async () => world.founder });
    const person = await makePerson(world.db, 'pending');
    const foreign = await call(handler, 'POST', `/users/${person.id}/approve`, {
      body: {},
      headers: { origin: 'http://localhost.evil.test' },
    });
    expectForbidden(foreign);
    const own = await call(handler, 'POST', `/users/${person.id}/approve`, {
      body: {},
      headers: { origin: 'http://localhost' },
    });
    expect(own.status).toBe(200);
  });
});

describe('REST: bearer tokens are unaffected', () => {
  it('a token call from anywhere, with no Origin or another one, goes through', async () => {
    const token = await tokenFor(world.db, world.founder, ['admin:users:write']);
    const cases: Record<string, string>[] = [
      {},
      { origin: 'http://evil.test', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const person = await makePerson(world.db, 'pending');
      const res = await call(sessionRest(world.founder), 'POST', `/users/${person.id}/approve`, {
        token,
        headers,
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
  });
});

describe('subdomain mode: login.DOMAIN and the person’s own {username}.DOMAIN, nobody else’s', () => {
  const portalOrigins = (viewer: { username: string | null }) => [
    'https://login.example.test',
    ...(viewer.username ? [`https://${viewer.username}.example.test`] : []),
  ];

  it('another person’s subdomain (their agent page) is refused; one’s own and login are not', async () => {
    const alice = await makePerson(world.db, 'active', { username: `alice-${Date.now() % 100000}` });
    await runningAgentOf(alice);
    const handler = restFor(world.db, { resolveSession: async () => alice, portalOrigins });
    const attempt = (origin: string) =>
      call(handler, 'PATCH', '/me/preferences', {
        body: { displayName: `from ${origin}` },
        headers: { origin, 'sec-fetch-site': 'same-site' },
      });
    expectForbidden(await attempt('https://bob.example.test'));
    expectForbidden(await attempt('https://example.test'));
    expectForbidden(await attempt(`http://${alice.username}.example.test`));
    expect((await attempt(`https://${alice.username}.example.test`)).status).toBe(200);
    expect((await attempt('https://login.example.test')).status).toBe(200);
  });
});

describe('tRPC: the same rule on /api/trpc', () => {
  function trpcAs(who: Person | null) {
    return createTrpcHandler({
      db: world.db,
      resolveSession: async () => who,
      portalOrigins: () => ['http://localhost'],
    });
  }

  async function post(
    handler: (req: Request) => Promise<Response>,
    path: string,
    body: string,
    headers: Record<string, string>,
  ) {
    const res = await handler(
      new Request(`http://localhost/api/trpc/${path}`, { method: 'POST', headers, body }),
    );
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: JSON.parse(text) as unknown };
  }

  it('a mutation from another origin is FORBIDDEN and changes nothing', async () => {
    const person = await makePerson(world.db, 'pending');
    const res = await post(
      trpcAs(world.founder),
      'admin.users.approveOne',
      JSON.stringify({ id: person.id }),
      {
        'content-type': 'application/json',
        origin: 'http://evil.test',
      },
    );
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ error: { data: { code: 'FORBIDDEN' } } });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect((await personRow(world.db, person.id))?.status).toBe('pending');
  });

  it('a form post (text/plain) is FORBIDDEN, not just an unsupported media type', async () => {
    const person = await makePerson(world.db, 'active');
    await runningAgentOf(person);
    const res = await post(trpcAs(person), 'agent.restart', '', {
      'content-type': 'text/plain',
      origin: 'http://127.0.0.1:4000',
    });
    expect(res.status).toBe(403);
    expect((await agentRowByPerson(world.db, person.id))?.restartRequestedAt).toBeNull();
  });

  it('a batch of mutations without Origin is refused call by call', async () => {
    const person = await makePerson(world.db, 'active');
    const res = await post(
      trpcAs(person),
      'agent.restart,user.updatePreferences?batch=1',
      JSON.stringify({ 0: {}, 1: { displayName: 'batched' } }),
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    );
    expect(res.status).toBe(403);
    expect((res.json as { error: { data: { code: string } } }[]).map((r) => r.error.data.code)).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
    expect((await personRow(world.db, person.id))?.preferences).not.toMatchObject({ displayName: 'batched' });
  });

  it('a mutation from the portal’s own origin with JSON goes through', async () => {
    const person = await makePerson(world.db, 'active');
    const res = await post(
      trpcAs(person),
      'user.updatePreferences',
      JSON.stringify({ displayName: 'Own origin' }),
      {
        'content-type': 'application/json',
        origin: 'http://localhost',
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await personRow(world.db, person.id))?.preferences).toMatchObject({ displayName: 'Own origin' });
  });

  it('a query is not checked', async () => {
    const person = await makePerson(world.db, 'active');
    const res = await trpcAs(person)(
      new Request('http://localhost/api/trpc/user.me', { headers: { origin: 'http://evil.test' } }),
    );
    expect(res.status).toBe(200);
  });
});
