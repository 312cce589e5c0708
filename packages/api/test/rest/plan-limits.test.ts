/**
 * A person's plan sets their API figures (docs/ARCHITECTURE.md, "Plans and quotas"): requests per
 * minute in place of RATE_LIMIT_PER_MINUTE for their tokens and session, the API calls a month their
 * tokens may make, and how many tokens they may hold. Counted as the app counts: in memory, flushed in
 * batches, the plans' figures cached for a few seconds.
 */
import {
  type AppError,
  createApiCallMeter,
  createBatchedRateLimitCounter,
  getPersonById,
  nextMonthStartUtc,
  type Person,
} from '@pocket-smyth/core';
import { apiTokens, type Db, plans, timeOrderedId, users } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context';
import { createCaller } from '../../src/root';
import { createWorld, expectTRPCError, makePerson, type World } from '../helpers';
import { call, restFor, tokenFor } from './rest-helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

const windowMs = 60_000;
const GLOBAL_PER_MINUTE = 40;

/** The app's budgets: the batched counter and the meter, as request-services.ts builds them. */
function appLimits(db: Db) {
  return {
    authenticated: { limit: GLOBAL_PER_MINUTE, windowMs },
    anonymous: { limit: 100_000, windowMs },
    counter: createBatchedRateLimitCounter(db, { flushMs: 50 }),
    meter: createApiCallMeter(db, { flushMs: 50 }),
  };
}

/** Waits for the next window when fewer than `needMs` of this one are left. */
async function inOneWindow(needMs = 5_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 20));
}

async function planWith(figures: Partial<typeof plans.$inferInsert>): Promise<string> {
  const id = timeOrderedId();
  await world.db.insert(plans).values({ id, name: `plan-${id}`, ...figures });
  return id;
}

async function onPlan(person: Person, planId: string): Promise<Person> {
  await world.db.update(users).set({ planId }).where(eq(users.id, person.id));
  return getPersonById(world.db, person.id);
}

describe('requests per minute come from the plan', () => {
  it('a person on a 5/min plan gets 429 on the sixth call, tokens and session alike; the default plan keeps the global figure', async () => {
    const plan = await planWith({ apiRequestsPerMinute: 5 });
    const limited = await onPlan(await makePerson(world.db, 'active'), plan);
    const standard = await makePerson(world.db, 'active');
    const limits = appLimits(world.db);
    const rest = restFor(world.db, { rateLimits: limits, resolveSession: async () => limited });
    const [first, second] = [
      await tokenFor(world.db, limited, ['me:read']),
      await tokenFor(world.db, limited, ['me:read']),
    ];
    const standardToken = await tokenFor(world.db, standard, ['me:read']);
    await inOneWindow();

    const seen: [number, string | null][] = [];
    for (const token of [first, second, first, undefined, second]) {
      const res = await call(rest, 'GET', '/me', token ? { token } : {});
      seen.push([res.status, res.headers.get('ratelimit-limit')]);
    }
    expect(seen).toEqual(Array(5).fill([200, '5']));
    const sixth = await call(rest, 'GET', '/me', { token: first });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('ratelimit-limit')).toBe('5');
    expect(sixth.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(rest, 'GET', '/me')).status).toBe(429);

    const other = await call(rest, 'GET', '/me', { token: standardToken });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-limit')).toBe(String(GLOBAL_PER_MINUTE));
    expect(other.headers.get('ratelimit-remaining')).toBe(String(GLOBAL_PER_MINUTE - 1));
    await Promise.all([limits.counter.close(), limits.meter.close()]);
  });

  it('an edit of the plan’s figure takes effect within 5 s (the cached figures’ age), with no restart', async () => {
    const plan = await planWith({ apiRequestsPerMinute: 2 });
    const person = await onPlan(await makePerson(world.db, 'active'), plan);
    const token = await tokenFor(world.db, person, ['me:read']);
    const limits = appLimits(world.db);
    // No `plans` given: the handler keeps its own copy at the default age, as the app's is.
    const rest = restFor(world.db, { rateLimits: limits });
    await inOneWindow(15_000);

    for (let i = 0; i < 2; i++) expect((await call(rest, 'GET', '/me', { token })).status).toBe(200);
    expect((await call(rest, 'GET', '/me', { token })).status).toBe(429);

    await world.db.update(plans).set({ apiRequestsPerMinute: 10 }).where(eq(plans.id, plan));
    await new Promise((r) => setTimeout(r, 5_100));
    const after = await call(rest, 'GET', '/me', { token });
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-limit')).toBe('10');
    // Four counted in this window, refused one included.
    expect(after.headers.get('ratelimit-remaining')).toBe('6');

    // Back to the deployment's figure when the plan has none.
    await world.db.update(plans).set({ apiRequestsPerMinute: null }).where(eq(plans.id, plan));
    await new Promise((r) => setTimeout(r, 5_100));
    const global = await call(rest, 'GET', '/me', { token });
    expect(global.headers.get('ratelimit-limit')).toBe(String(GLOBAL_PER_MINUTE));
    await Promise.all([limits.counter.close(), limits.meter.close()]);
  }, 45_000);

  it('moving a person to another plan counts from their next call (their plan comes with them)', async () => {
    const tight = await planWith({ apiRequestsPerMinute: 3 });
    const person = await makePerson(world.db, 'active');
    const token = await tokenFor(world.db, person, ['me:read']);
    const limits = appLimits(world.db);
    const rest = restFor(world.db, { rateLimits: limits });
    await inOneWindow();
    expect((await call(rest, 'GET', '/me', { token })).headers.get('ratelimit-limit')).toBe(
      String(GLOBAL_PER_MINUTE),
    );
    await onPlan(person, tight);
    expect((await call(rest, 'GET', '/me', { token })).headers.get('ratelimit-limit')).toBe('3');
    await Promise.all([limits.counter.close(), limits.meter.close()]);
  });
});

describe('monthly API calls', () => {
  it('a plan with 3 calls a month: the fourth token call is 429 naming the first of next month; the session is not counted', async () => {
    const plan = await planWith({ monthlyApiCalls: 3 });
    const person = await onPlan(await makePerson(world.db, 'active'), plan);
    const token = await tokenFor(world.db, person, ['me:read']);
    const limits = appLimits(world.db);
    const rest = restFor(world.db, { rateLimits: limits, resolveSession: async () => person });

    // Dashboard calls first: they are not API calls.
    for (let i = 0; i < 4; i++) expect((await call(rest, 'GET', '/me')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await call(rest, 'GET', '/me', { token })).status).toBe(200);

    const fourth = await call(rest, 'GET', '/me', { token });
    const now = Date.now();
    expect(fourth.status).toBe(429);
    expect(fourth.json.error?.code).toBe('TOO_MANY_REQUESTS');
    const reset = new Date(nextMonthStartUtc(now)).toISOString().slice(0, 10);
    expect(fourth.json.error?.message).toContain('3 API calls a month');
    expect(fourth.json.error?.message).toContain(reset);
    const retryAfter = Number(fourth.headers.get('retry-after'));
    expect(Math.abs(now + retryAfter * 1000 - nextMonthStartUtc(now))).toBeLessThan(5_000);

    // The session still works; and after the counts are written, still refused (read back).
    expect((await call(rest, 'GET', '/me')).status).toBe(200);
    await limits.meter.flush();
    expect((await call(rest, 'GET', '/me', { token })).status).toBe(429);

    // Another instance (its own meter, nothing in memory) reads the written total and refuses too.
    await limits.meter.flush();
    const elsewhere = appLimits(world.db);
    const other = restFor(world.db, { rateLimits: elsewhere });
    expect((await call(other, 'GET', '/me', { token })).status).toBe(429);

    // A plan without a monthly limit lets the calls through again.
    await world.db.update(plans).set({ monthlyApiCalls: null }).where(eq(plans.id, plan));
    const fresh = appLimits(world.db);
    expect((await call(restFor(world.db, { rateLimits: fresh }), 'GET', '/me', { token })).status).toBe(200);
    await Promise.all([limits, elsewhere, fresh].flatMap((l) => [l.counter.close(), l.meter.close()]));
  });

  it('counts the calls another instance wrote: two instances together stop at the limit, off by at most one flush', async () => {
    const plan = await planWith({ monthlyApiCalls: 4 });
    const person = await onPlan(await makePerson(world.db, 'active'), plan);
    const token = await tokenFor(world.db, person, ['me:read']);
    const a = appLimits(world.db);
    const b = appLimits(world.db);
    const restA = restFor(world.db, { rateLimits: a });
    const restB = restFor(world.db, { rateLimits: b });

    expect((await call(restA, 'GET', '/me', { token })).status).toBe(200);
    expect((await call(restB, 'GET', '/me', { token })).status).toBe(200);
    await Promise.all([a.meter.flush(), b.meter.flush()]);
    // Each flush read back both instances' calls: 2 of 4 used.
    expect((await call(restA, 'GET', '/me', { token })).status).toBe(200);
    await a.meter.flush();
    await b.meter.flush();
    expect((await call(restB, 'GET', '/me', { token })).status).toBe(200);
    await b.meter.flush();
    await a.meter.flush();
    expect((await call(restA, 'GET', '/me', { token })).status).toBe(429);
    expect((await call(restB, 'GET', '/me', { token })).status).toBe(429);
    await Promise.all([a, b].flatMap((l) => [l.counter.close(), l.meter.close()]));
  });
});

describe('monthly API calls over tRPC', () => {
  it('a token call past the month’s calls is TOO_MANY_REQUESTS with the reset moment; a session call is not counted', async () => {
    const plan = await planWith({ monthlyApiCalls: 1 });
    const person = await onPlan(await makePerson(world.db, 'active'), plan);
    const limits = appLimits(world.db);
    const token = { id: timeOrderedId(), name: 'script', scopes: ['me:read' as const] };
    const viaToken = createCaller(
      createContext({ db: world.db, rateLimits: limits, principal: { via: 'token', person, token } }),
    );
    const viaSession = createCaller(
      createContext({ db: world.db, rateLimits: limits, principal: { via: 'session', person } }),
    );

    await viaSession.user.me();
    await viaToken.user.me();
    const error = await expectTRPCError(viaToken.user.me(), 'TOO_MANY_REQUESTS');
    expect(error.message).toContain('1 API call a month');
    const resetAt = new Date(nextMonthStartUtc(Date.now())).toISOString();
    expect((error.cause as AppError).details).toEqual({ retryAfterSeconds: expect.any(Number), resetAt });
    await viaSession.user.me();
    await Promise.all([limits.counter.close(), limits.meter.close()]);
  });
});

describe('API tokens a person may hold', () => {
  it('past the plan’s max_api_tokens, creating one is a 409 naming the limit; revoked and expired ones do not count', async () => {
    const plan = await planWith({ maxApiTokens: 2 });
    const person = await onPlan(await makePerson(world.db, 'active'), plan);
    const rest = restFor(world.db, { resolveSession: async () => person });
    const create = (name: string) =>
      call(rest, 'POST', '/tokens', {
        body: { name, scopes: ['me:read'], expiresInDays: 30 },
        headers: { origin: 'http://localhost' },
      });

    const first = await create('one');
    expect(first.status).toBe(200);
    expect((await create('two')).status).toBe(200);
    const third = await create('three');
    expect(third.status).toBe(409);
    expect(third.json.error?.code).toBe('CONFLICT');
    expect(third.json.error?.message).toBe('Your plan allows 2 API tokens; revoke one first.');

    const firstId = (first.json as { token: { id: string } }).token.id;
    const revoked = await call(rest, 'DELETE', `/tokens/${firstId}`, {
      headers: { origin: 'http://localhost' },
    });
    expect(revoked.status).toBe(200);
    const three = await create('three');
    expect(three.status).toBe(200);
    expect((await create('four')).status).toBe(409);

    // An expired token no longer counts either.
    const threeId = (three.json as { token: { id: string } }).token.id;
    await world.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(apiTokens.id, threeId));
    expect((await create('four')).status).toBe(200);
    expect((await create('five')).status).toBe(409);
  });
});
