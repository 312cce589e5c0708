/**
 * The plan figures the API enforces (docs/ARCHITECTURE.md, "Plans and quotas"), at the core: a month's
 * token calls summed from the rollups and the hourly counts wherever the rollup has got to, the meter's
 * unwritten calls added on top; and the token allowance checked in the same write transaction as the
 * insert, so concurrent creations cannot overshoot it.
 */
import { plans, users } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AppError,
  type ChangeDeps,
  createApiCallMeter,
  createApiToken,
  createPlanApiLimitCache,
  getPersonById,
  nextMonthStartUtc,
  type Person,
  readMonthApiCalls,
  registerPerson,
  rollUpUsage,
} from '../src/index';

let handle: Awaited<ReturnType<typeof createTestDb>>;
let person: Person;
const deps: ChangeDeps = {
  actor: { kind: 'system', id: 'test', label: 'test', personId: null },
  requestId: 'req-plan',
  ip: null,
  enqueue: async () => {},
};
const at = (iso: string) => new Date(iso).getTime();

beforeEach(async () => {
  handle = await createTestDb();
  const registered = await registerPerson(handle.db, { email: 'pia@example.com' }, { adminEmails: [] });
  await handle.db.insert(plans).values({ id: 'small', name: 'Small', maxApiTokens: 2, monthlyApiCalls: 10 });
  await handle.db.update(users).set({ planId: 'small' }).where(eq(users.id, registered.id));
  person = await getPersonById(handle.db, registered.id);
});
afterEach(() => handle.cleanup());

describe('a month’s token calls', () => {
  it('are the same total wherever the rollup has got to, the previous month left out', async () => {
    const meter = createApiCallMeter(handle.db, { flushMs: 60_000 });
    const calls = (n: number, when: string) => {
      for (let i = 0; i < n; i++) meter.count(person.id, 'tok', at(when));
    };
    const march20 = at('2026-03-20T12:00:00Z');
    const total = async () => (await readMonthApiCalls(handle.db, [person.id], march20)).get(person.id);

    calls(5, '2026-02-28T23:30:00Z');
    calls(7, '2026-03-01T00:10:00Z');
    calls(4, '2026-03-10T05:00:00Z');
    calls(3, '2026-03-20T09:00:00Z');
    await meter.flush();
    expect(await total()).toBe(14);

    // The rollup catches up in steps; at each, part of the month is in usage_daily, the rest hourly.
    for (const when of [
      '2026-02-28T23:00:00Z',
      '2026-03-05T00:00:00Z',
      '2026-03-12T08:00:00Z',
      '2026-03-20T10:00:00Z',
    ]) {
      await rollUpUsage(handle.db, new Date(when));
      expect(await total()).toBe(14);
    }

    // Written after the last rollup: in the hourly counts only.
    calls(2, '2026-03-20T11:00:00Z');
    await meter.flush();
    expect(await total()).toBe(16);

    // The meter adds what it holds unwritten: a fresh one reads the total, then counts on in memory.
    const instance = createApiCallMeter(handle.db, { flushMs: 60_000 });
    instance.count(person.id, 'tok', march20);
    expect(await instance.monthTotal(person.id, march20)).toBe(17);
    instance.count(person.id, 'tok', march20);
    expect(instance.monthTotal(person.id, march20)).toBe(18);
    // A new month starts from nothing.
    const april = at('2026-04-01T00:00:01Z');
    expect(await instance.monthTotal(person.id, april)).toBe(0);
    expect(nextMonthStartUtc(march20)).toBe(at('2026-04-01T00:00:00Z'));
    expect(nextMonthStartUtc(at('2026-12-31T23:59:59Z'))).toBe(at('2027-01-01T00:00:00Z'));
  });
});

describe('the plan figures cache', () => {
  it('serves the figures it read until they are ttlMs old, then reads them again', async () => {
    const cache = createPlanApiLimitCache(handle.db, { ttlMs: 1_000 });
    const t0 = Date.now();
    expect(await cache.get('small', t0)).toEqual({ requestsPerMinute: null, monthlyApiCalls: 10 });
    await handle.db.update(plans).set({ apiRequestsPerMinute: 7 }).where(eq(plans.id, 'small'));
    expect(cache.get('small', t0 + 999)).toEqual({ requestsPerMinute: null, monthlyApiCalls: 10 });
    expect(await cache.get('small', t0 + 1_000)).toEqual({ requestsPerMinute: 7, monthlyApiCalls: 10 });
    // No plan (or one since deleted): the default plan's figures, all null on a fresh install.
    expect(await cache.get(null, t0 + 1_000)).toEqual({ requestsPerMinute: null, monthlyApiCalls: null });
  });
});

describe('the plan’s max_api_tokens', () => {
  it('holds against concurrent creations: count and insert are one write transaction', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        createApiToken(
          handle.db,
          deps,
          person,
          { name: `t${i}`, scopes: ['me:read'], expiresInDays: 30 },
          { maxDays: 365 },
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as AppError] : []));
    expect(refusals.map((e) => [e.code, e.message])).toEqual(
      Array(3).fill(['CONFLICT', 'Your plan allows 2 API tokens; revoke one first.']),
    );
  });

  it('a plan with no figure allows any number', async () => {
    await handle.db.update(plans).set({ maxApiTokens: null }).where(eq(plans.id, 'small'));
    for (let i = 0; i < 4; i++) {
      await createApiToken(
        handle.db,
        deps,
        person,
        { name: `t${i}`, scopes: ['me:read'], expiresInDays: 30 },
        { maxDays: 365 },
      );
    }
  });
});
