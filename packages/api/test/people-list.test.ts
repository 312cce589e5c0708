/**
 * admin.users.list: filters, search, keyset pagination in both orders, and the per-status counts.
 */

import type { Person } from '@pocket-smyth/core';
import { users } from '@pocket-smyth/db';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerFor,
  createWorld,
  expectTRPCError,
  type FixtureState,
  makePerson,
  type World,
} from './helpers';

const population: [FixtureState, number][] = [
  ['onboarding', 3],
  ['pending', 5],
  ['active', 6],
  ['admin', 1],
  ['rejected', 2],
  ['revoked', 2],
];

let world: World;
let everyone: Person[];
beforeAll(async () => {
  world = await createWorld();
  everyone = [world.founder];
  for (const [state, count] of population) {
    for (let i = 0; i < count; i++) everyone.push(await makePerson(world.db, state));
  }
  everyone.push(
    await makePerson(world.db, 'pending', {
      email: 'grace@navy.example',
      username: 'cobol-queen',
      name: 'Grace Hopper',
    }),
    await makePerson(world.db, 'active', {
      email: 'ada@engine.example',
      username: 'ada',
      name: 'Ada Lovelace',
    }),
    await makePerson(world.db, 'onboarding', { email: 'percent_100%@odd.example' }),
  );
  // Sign-ups in the same millisecond are common in bulk imports; force ties so the id tie-break is exercised.
  const ids = everyone.map((p) => p.id);
  const tied = new Date('2026-01-01T00:00:00.000Z');
  await world.db
    .update(users)
    .set({ createdAt: tied })
    .where(inArray(users.id, ids.slice(3, 13)));
});
afterAll(() => world.cleanup());

const admin = () => callerFor(world.db, world.founder).admin.users;

/** Follows nextCursor to the end, returning every page. */
/** A row as the API gives it: its moments are ISO strings. */
type PersonListItem = Awaited<ReturnType<ReturnType<typeof admin>['list']>>['items'][number];

async function allPages(input: Parameters<ReturnType<typeof admin>['list']>[0]): Promise<PersonListItem[][]> {
  const pages: PersonListItem[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const page = await admin().list({ ...input, cursor });
    pages.push(page.items);
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

function byCreated(direction: 1 | -1) {
  return (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) =>
    direction * (a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

describe('admin.users.list', () => {
  it('counts people per status, whatever the filter', async () => {
    const expected = { onboarding: 4, pending: 6, active: 9, rejected: 2, revoked: 2, total: 23 };
    expect((await admin().list({})).counts).toEqual(expected);
    expect((await admin().list({ status: 'rejected', search: 'zzz' })).counts).toEqual(expected);
  });

  it.each(['onboarding', 'pending', 'active', 'rejected', 'revoked'] as const)(
    'filters by status %s',
    async (status) => {
      const { items } = await admin().list({ status, limit: 100 });
      const expected = (await world.db.select().from(users)).filter((u) => u.status === status);
      expect(items.map((i) => i.id).sort()).toEqual(expected.map((u) => u.id).sort());
      expect(items.every((i) => i.status === status)).toBe(true);
    },
  );

  it('filters by role', async () => {
    const { items } = await admin().list({ role: 'admin', limit: 100 });
    expect(items.map((i) => i.role)).toEqual(['admin', 'admin']);
    expect(items.map((i) => i.id)).toContain(world.founder.id);
  });

  it('combines status and role filters', async () => {
    const { items } = await admin().list({ role: 'user', status: 'active', limit: 100 });
    expect(items).toHaveLength(7);
    expect(items.every((i) => i.role === 'user' && i.status === 'active')).toBe(true);
  });

  it('searches email, username and name, ignoring letter case', async () => {
    const search = async (term: string) =>
      (await admin().list({ search: term, limit: 100 })).items.map((i) => i.email).sort();
    expect(await search('NAVY.example')).toEqual(['grace@navy.example']);
    expect(await search('cobol')).toEqual(['grace@navy.example']);
    expect(await search('hopper')).toEqual(['grace@navy.example']);
    expect(await search('LOVELACE')).toEqual(['ada@engine.example']);
    expect(await search('nobody-has-this')).toEqual([]);
  });

  it('treats LIKE wildcards and quotes in a search as plain text', async () => {
    const search = async (term: string) =>
      (await admin().list({ search: term, limit: 100 })).items.map((i) => i.email);
    expect(await search('%')).toEqual(['percent_100%@odd.example']);
    expect(await search('_100')).toEqual(['percent_100%@odd.example']);
    expect(await search("' OR 1=1 --")).toEqual([]);
  });

  it('lists with the agent state next to each person', async () => {
    const { items } = await admin().list({ search: 'ada@engine', limit: 100 });
    expect(items).toEqual([
      expect.objectContaining({
        username: 'ada',
        agentDesiredState: 'running',
        agentObservedState: 'absent',
      }),
    ]);
    const { items: waiting } = await admin().list({ search: 'grace@', limit: 100 });
    expect(waiting[0]).toMatchObject({ agentDesiredState: null, agentObservedState: null });
  });

  it.each([
    ['newest', -1],
    ['oldest', 1],
  ] as const)('pages through everyone %s first without duplicates or gaps', async (order, direction) => {
    const pages = await allPages({ order, limit: 4 });
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages.slice(0, -1)) expect(page).toHaveLength(4);
    const ids = pages.flat().map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = await world.db.select().from(users);
    expect(ids).toEqual([...all].sort(byCreated(direction)).map((u) => u.id));
  });

  it('pages through a filtered list the same way', async () => {
    const pages = await allPages({ status: 'active', order: 'oldest', limit: 2 });
    expect(pages.length).toBeGreaterThan(2);
    const ids = pages.flat().map((i) => i.id);
    const active = (await world.db.select().from(users)).filter((u) => u.status === 'active');
    expect(ids).toEqual(active.sort(byCreated(1)).map((u) => u.id));
  });

  it('refuses a cursor it did not make as BAD_REQUEST', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('["x","y"]').toString('base64url'), '%%%']) {
      const error = await expectTRPCError(admin().list({ cursor }), 'BAD_REQUEST');
      expect(error.message).toBe('The cursor is not valid; start again from the first page.');
    }
  });

  it('refuses a limit outside 1..100', async () => {
    await expectTRPCError(admin().list({ limit: 0 }), 'BAD_REQUEST');
    await expectTRPCError(admin().list({ limit: 101 }), 'BAD_REQUEST');
  });
});

describe('admin.users.list while people sign up', () => {
  it('keeps later pages stable when someone new arrives between page loads', async () => {
    const local = await createWorld();
    try {
      for (let i = 0; i < 9; i++) await makePerson(local.db, 'pending');
      const list = callerFor(local.db, local.founder).admin.users.list;
      const first = await list({ order: 'newest', limit: 4 });
      // Newer than every row already served; dated explicitly so the test never depends on the clock.
      const newcomer = await makePerson(local.db, 'pending');
      const newest = Date.parse(first.items[0]?.createdAt ?? '') || 0;
      await local.db
        .update(users)
        .set({ createdAt: new Date(newest + 1000) })
        .where(inArray(users.id, [newcomer.id]));
      const seen = [...first.items];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await list({ order: 'newest', limit: 4, cursor });
        seen.push(...page.items);
        cursor = page.nextCursor;
      }
      const ids = seen.map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(10); // founder + 9; the newcomer sits before the first page
    } finally {
      local.cleanup();
    }
  });
});

describe('admin.users.get', () => {
  it('returns the person and their agent', async () => {
    const active = everyone.find((p) => p.status === 'active' && p.role === 'user');
    const result = await admin().get({ id: active?.id ?? '' });
    expect(result.person).toMatchObject({ id: active?.id, status: 'active' });
    expect(result.agent).toMatchObject({ userId: active?.id, desiredState: 'running' });
  });

  it('returns a null agent for someone never approved', async () => {
    const pending = everyone.find((p) => p.status === 'pending');
    expect((await admin().get({ id: pending?.id ?? '' })).agent).toBeNull();
  });
});
