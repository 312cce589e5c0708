/**
 * One budget per caller, whatever the door (docs/ARCHITECTURE.md, "REST"): a person's API tokens, their
 * browser session over REST and their dashboard's `/api/trpc` calls all draw on one per-person budget;
 * anonymous calls (and failed bearer attempts) on one per-address budget. A REST request is counted
 * once, before it is dispatched, not again by the procedure it reaches.
 */
import { type AppError, createApiCallMeter, type Person } from '@pocket-smyth/core';
import { apiCallCounts, rateLimitCounters } from '@pocket-smyth/db';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context';
import { createCaller } from '../../src/root';
import { createTrpcHandler } from '../../src/trpc-handler';
import { createWorld, expectTRPCError, makePerson, type World } from '../helpers';
import { call, restFor, tokenFor } from './rest-helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

const windowMs = 60_000;
function limits(authenticated: number, anonymous = 100_000) {
  return {
    authenticated: { limit: authenticated, windowMs },
    anonymous: { limit: anonymous, windowMs },
  };
}

/** Waits for the next window when this one is nearly over, so a test's calls all land in one window. */
async function inOneWindow(): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < 5_000) await new Promise((r) => setTimeout(r, left + 20));
}

/** `/api/trpc` as the web app serves it, with the same services as REST and the browser's session. */
function trpcEndpoint(
  rateLimits: ReturnType<typeof limits> & { meter?: ReturnType<typeof createApiCallMeter> },
  viewer: Person | null,
) {
  const handler = createTrpcHandler({
    db: world.db,
    rateLimits,
    resolveSession: async () => viewer,
    clientAddress: { trustedProxyHops: 1, peerHeader: false },
  });
  return async (path: string, ip = '198.51.100.40') => {
    const res = await handler(
      new Request(`http://localhost/api/trpc/${path}`, { headers: { 'x-forwarded-for': ip } }),
    );
    const body = (await res.json()) as { error?: { data?: { code?: string } } };
    return { status: res.status, code: body.error?.data?.code ?? null };
  };
}

describe('a person has one budget, however many tokens they mint', () => {
  it('five tokens and the session share RATE_LIMIT_PER_MINUTE: the sixth request is 429', async () => {
    const person = await makePerson(world.db, 'active');
    const secrets: string[] = [];
    for (let i = 0; i < 5; i++) secrets.push(await tokenFor(world.db, person, ['me:read']));
    const rest = restFor(world.db, { rateLimits: limits(5), resolveSession: async () => person });
    await inOneWindow();

    const remaining: (string | null)[] = [];
    for (const secret of secrets) {
      const res = await call(rest, 'GET', '/me', { token: secret });
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('ratelimit-remaining'));
    }
    // Counted once per request, across all five tokens.
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    const viaSession = await call(rest, 'GET', '/me');
    expect(viaSession.status).toBe(429);
    expect(viaSession.json.error?.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(viaSession.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(viaSession.headers.get('ratelimit-limit')).toBe('5');

    // A token minted now does not bring a fresh budget either.
    const sixth = await tokenFor(world.db, person, ['me:read']);
    const again = await call(rest, 'GET', '/me', { token: sixth });
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).not.toBeNull();
  });

  it('someone else’s budget is their own', async () => {
    const busy = await makePerson(world.db, 'active');
    const other = await makePerson(world.db, 'active');
    const rest = restFor(world.db, { rateLimits: limits(2) });
    await inOneWindow();
    const busyToken = await tokenFor(world.db, busy, ['me:read']);
    for (let i = 0; i < 2; i++) await call(rest, 'GET', '/me', { token: busyToken });
    expect((await call(rest, 'GET', '/me', { token: busyToken })).status).toBe(429);
    expect(
      (await call(rest, 'GET', '/me', { token: await tokenFor(world.db, other, ['me:read']) })).status,
    ).toBe(200);
  });
});

describe('tRPC counts against the same budget', () => {
  it('REST and /api/trpc calls share the person’s budget; over it tRPC answers TOO_MANY_REQUESTS', async () => {
    const person = await makePerson(world.db, 'active');
    const secret = await tokenFor(world.db, person, ['me:read']);
    const rules = limits(5);
    const rest = restFor(world.db, { rateLimits: rules, resolveSession: async () => person });
    const trpc = trpcEndpoint(rules, person);
    await inOneWindow();

    expect((await call(rest, 'GET', '/me', { token: secret })).status).toBe(200);
    expect((await call(rest, 'GET', '/me')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect(await trpc('user.me')).toEqual({ status: 200, code: null });

    expect(await trpc('user.me')).toEqual({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect((await call(rest, 'GET', '/me', { token: secret })).status).toBe(429);
    // In-process callers built from the same services are counted too.
    const caller = createCaller(
      createContext({ db: world.db, rateLimits: rules, principal: { via: 'session', person } }),
    );
    const error = await expectTRPCError(caller.user.me(), 'TOO_MANY_REQUESTS');
    expect(error.message).toMatch(/try again in \d+ s/);
    expect((error.cause as AppError).details).toEqual({ retryAfterSeconds: expect.any(Number) });
  });

  it('a REST request is counted once, not again by the procedure it reaches', async () => {
    const person = await makePerson(world.db, 'active');
    const secret = await tokenFor(world.db, person, ['me:read']);
    const rules = limits(4);
    const rest = restFor(world.db, { rateLimits: rules });
    await inOneWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(rest, 'GET', '/me', { token: secret })).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // The budget is spent exactly: one more call anywhere is over it.
    expect(await trpcEndpoint(rules, person)('user.me')).toEqual({ status: 429, code: 'TOO_MANY_REQUESTS' });
  });

  it('contexts without limits (tests, tools) are not counted', async () => {
    const person = await makePerson(world.db, 'active');
    const caller = createCaller(createContext({ db: world.db, principal: { via: 'session', person } }));
    for (let i = 0; i < 10; i++) await caller.user.me();
    const counted = await world.db
      .select()
      .from(rateLimitCounters)
      .where(like(rateLimitCounters.key, `%${person.id}`));
    expect(counted).toEqual([]);
  });
});

describe('anonymous callers are limited per address, over REST and tRPC alike', () => {
  it('the address’s budget runs out across both doors; another address is unaffected', async () => {
    const rules = limits(100, 3);
    // One proxy in front that appends the client's address, as Traefik does.
    const rest = restFor(world.db, {
      rateLimits: rules,
      clientAddress: { trustedProxyHops: 1, peerHeader: false },
    });
    const trpc = trpcEndpoint(rules, null);
    const ip = '198.51.100.77';
    await inOneWindow();

    expect((await call(rest, 'GET', '/me', { headers: { 'x-forwarded-for': ip } })).status).toBe(401);
    expect(await trpc('user.me', ip)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await trpc('user.me', ip)).toEqual({ status: 401, code: 'UNAUTHORIZED' });

    expect(await trpc('user.me', ip)).toEqual({ status: 429, code: 'TOO_MANY_REQUESTS' });
    const overRest = await call(rest, 'GET', '/me', { headers: { 'x-forwarded-for': ip } });
    expect(overRest.status).toBe(429);
    expect(overRest.headers.get('retry-after')).not.toBeNull();

    expect(await trpc('user.me', '198.51.100.78')).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect((await call(rest, 'GET', '/me', { headers: { 'x-forwarded-for': '198.51.100.78' } })).status).toBe(
      401,
    );
  });
});

describe('API calls are metered per person and token (docs/ARCHITECTURE.md, "Usage metering")', () => {
  it('counts token calls over REST, refused ones too; the session’s calls, REST or tRPC, are not API calls', async () => {
    const person = await makePerson(world.db, 'active');
    const first = await tokenFor(world.db, person, ['me:read']);
    const second = await tokenFor(world.db, person, ['me:read']);
    const meter = createApiCallMeter(world.db, { flushMs: 60_000 });
    const rateLimits = { ...limits(4), meter };
    const rest = restFor(world.db, { rateLimits, resolveSession: async () => person });
    await inOneWindow();
    for (const token of [first, first, second])
      expect((await call(rest, 'GET', '/me', { token })).status).toBe(200);
    expect((await call(rest, 'GET', '/me', {})).status).toBe(200); // the session
    expect((await call(rest, 'GET', '/me', { token: first })).status).toBe(429); // over the budget, still a call
    await trpcEndpoint(rateLimits, person)('user.me');
    await meter.close();
    const rows = await world.db.select().from(apiCallCounts).where(eq(apiCallCounts.userId, person.id));
    expect(rows.map((r) => r.count).sort()).toEqual([1, 3]);
    expect(new Set(rows.map((r) => r.tokenId)).size).toBe(2);
  });
});
