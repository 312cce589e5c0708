/**
 * A token with `tokens:write` can mint tokens (POST /api/tokens). What it mints is never stronger
 * than itself: no scope it lacks, and no life beyond its own (else a short-lived token could be
 * swapped for a long-lived one, or outlive its own revocation date). The dashboard (a session, no
 * parent token) is limited by the configured maximum only.
 */
import { hashTokenSecret } from '@pocket-smyth/core';
import { apiTokens } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, makePerson, type World } from '../helpers';
import { call, restFor, tokenFor } from './rest-helpers';

const DAY = 86_400_000;

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

interface TokenJson {
  id: string;
  prefix: string;
  scopes: string[];
  expiresAt: string;
}

/** The stored row of the token whose secret this is. */
async function rowOf(secret: string) {
  const rows = await world.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.secretHash, hashTokenSecret(secret)));
  const row = rows[0];
  if (!row) throw new Error('no such token');
  return row;
}

async function tokensOf(ownerId: string) {
  return world.db.select().from(apiTokens).where(eq(apiTokens.userId, ownerId));
}

async function mint(parent: string, body: { scopes: string[]; expiresInDays: number; name?: string }) {
  return call(restFor(world.db), 'POST', '/tokens', {
    token: parent,
    body: { name: body.name ?? 'child', scopes: body.scopes, expiresInDays: body.expiresInDays },
  });
}

describe('a child token never outlives the token that made it', () => {
  it('refuses N+30 days from a token with N days left, with a 400 naming the parent’s expiry', async () => {
    const person = await makePerson(world.db, 'active');
    const parent = await tokenFor(world.db, person, ['tokens:write'], 30);
    const parentExpiresAt = (await rowOf(parent)).expiresAt.toISOString();
    const before = (await tokensOf(person.id)).length;

    const res = await mint(parent, { scopes: ['tokens:write'], expiresInDays: 60 });

    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'BAD_REQUEST', requestId: expect.any(String) });
    expect(res.json.error?.message).toContain(parentExpiresAt);
    expect((res.json.error as { details?: Record<string, unknown> }).details).toMatchObject({
      field: 'expiresInDays',
      parentExpiresAt,
      maxExpiresInDays: 30,
    });
    expect((await tokensOf(person.id)).length).toBe(before);
  });

  it('refuses the reported case: a parent ending in 30 days, a child asking for 90', async () => {
    const person = await makePerson(world.db, 'active');
    const parent = await tokenFor(world.db, person, ['tokens:write', 'me:read'], 30);
    const res = await mint(parent, { scopes: ['me:read'], expiresInDays: 90 });
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toContain((await rowOf(parent)).expiresAt.toISOString());
  });

  it('counts a partial last day as a day, and then ends the child with its parent', async () => {
    const person = await makePerson(world.db, 'active');
    const parent = await tokenFor(world.db, person, ['tokens:write'], 30);
    const parentExpiresAt = new Date(Date.now() + 10.5 * DAY);
    await world.db
      .update(apiTokens)
      .set({ expiresAt: parentExpiresAt })
      .where(eq(apiTokens.id, (await rowOf(parent)).id));
    const tooLong = await mint(parent, { scopes: ['tokens:write'], expiresInDays: 12 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error?.message).toContain('at most 11 days');
    // 11 days: the rest of the parent's life, to the millisecond.
    const rounded = await mint(parent, { scopes: ['tokens:write'], expiresInDays: 11 });
    expect(rounded.status).toBe(200);
    expect((rounded.json.token as unknown as TokenJson).expiresAt).toBe(parentExpiresAt.toISOString());
    // 10 days: exactly what was asked for.
    const started = Date.now();
    const shorter = await mint(parent, { scopes: ['tokens:write'], expiresInDays: 10 });
    expect(shorter.status).toBe(200);
    const shorterEnds = Date.parse((shorter.json.token as unknown as TokenJson).expiresAt);
    expect(shorterEnds).toBeGreaterThanOrEqual(started + 10 * DAY);
    expect(shorterEnds).toBeLessThan(parentExpiresAt.getTime());
  });

  it('accepts N days or fewer, and the child then ends no later than its parent', async () => {
    const person = await makePerson(world.db, 'active');
    const parent = await tokenFor(world.db, person, ['tokens:write', 'me:read'], 30);
    const parentExpiresAt = (await rowOf(parent)).expiresAt.getTime();

    for (const expiresInDays of [30, 29, 7, 1]) {
      const started = Date.now();
      const res = await mint(parent, { scopes: ['me:read'], expiresInDays, name: `child-${expiresInDays}` });
      expect(res.status, `${expiresInDays} days`).toBe(200);
      const child = res.json.token as unknown as TokenJson;
      const childExpiresAt = Date.parse(child.expiresAt);
      expect(childExpiresAt, `${expiresInDays} days`).toBeLessThanOrEqual(parentExpiresAt);
      // What was asked for, give or take the parent's end (only the last partial day is cut).
      expect(childExpiresAt).toBeGreaterThanOrEqual(Math.min(started + expiresInDays * DAY, parentExpiresAt));
      expect((await rowOf(res.json.secret as string)).expiresAt.getTime()).toBe(childExpiresAt);
      // The child works.
      expect((await call(restFor(world.db), 'GET', '/me', { token: res.json.secret as string })).status).toBe(
        200,
      );
    }
  });

  it('holds down a chain: a grandchild cannot outlive its parent either', async () => {
    const person = await makePerson(world.db, 'active');
    const root = await tokenFor(world.db, person, ['tokens:write'], 60);
    const child = await mint(root, { scopes: ['tokens:write'], expiresInDays: 10 });
    expect(child.status).toBe(200);
    const childSecret = child.json.secret as string;
    const grandchild = await mint(childSecret, { scopes: ['tokens:write'], expiresInDays: 20 });
    expect(grandchild.status).toBe(400);
    expect(grandchild.json.error?.message).toContain((await rowOf(childSecret)).expiresAt.toISOString());
    expect((await mint(childSecret, { scopes: ['tokens:write'], expiresInDays: 10 })).status).toBe(200);
  });

  it('leaves the dashboard (a session, no parent token) limited by the configured maximum only', async () => {
    const person = await makePerson(world.db, 'active');
    // The person has a short-lived token; that does not bind what they create while signed in.
    await tokenFor(world.db, person, ['tokens:write'], 1);
    const viaSession = restFor(world.db, { resolveSession: async () => person, tokenMaxDays: 365 });
    // Sent by the portal's own page, as the browser would say (request-origin.ts).
    const fromPortal = { origin: 'http://localhost' };
    const res = await call(viaSession, 'POST', '/tokens', {
      body: { name: 'from-dashboard', scopes: ['tokens:write', 'me:read'], expiresInDays: 365 },
      headers: fromPortal,
    });
    expect(res.status).toBe(200);
    const expiresAt = Date.parse((res.json.token as unknown as TokenJson).expiresAt);
    expect(expiresAt).toBeGreaterThan(Date.now() + 364 * DAY);
    // The configured maximum still holds there.
    const tooLong = await call(viaSession, 'POST', '/tokens', {
      body: { name: 'from-dashboard', scopes: ['me:read'], expiresInDays: 366 },
      headers: fromPortal,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error?.message).toContain('365 days');
  });
});

describe('a child token never has a scope its parent lacks', () => {
  it('refuses a scope the parent does not have, naming it, and creates nothing', async () => {
    const person = await makePerson(world.db, 'active');
    const parent = await tokenFor(world.db, person, ['tokens:write'], 30);
    const before = (await tokensOf(person.id)).length;
    for (const scopes of [['me:read'], ['tokens:write', 'agent:write'], ['tokens:read']]) {
      const res = await mint(parent, { scopes, expiresInDays: 7 });
      expect(res.status, scopes.join()).toBe(403);
      expect(res.json.error?.code).toBe('FORBIDDEN');
      expect(res.json.error?.message).toContain(scopes.find((s) => s !== 'tokens:write'));
    }
    expect((await tokensOf(person.id)).length).toBe(before);
  });

  it('refuses an admin scope to an admin’s token that lacks it', async () => {
    const parent = await tokenFor(world.db, world.founder, ['tokens:write'], 30);
    const res = await mint(parent, { scopes: ['admin:users:write'], expiresInDays: 7 });
    expect(res.status).toBe(403);
    expect(res.json.error?.message).toContain('admin:users:write');
  });

  it('accepts the parent’s scopes or fewer, and the child has exactly those', async () => {
    const person = await makePerson(world.db, 'active');
    const parent = await tokenFor(world.db, person, ['tokens:write', 'me:read', 'agent:read'], 30);
    for (const scopes of [['me:read'], ['tokens:write', 'me:read', 'agent:read']]) {
      const res = await mint(parent, { scopes, expiresInDays: 7 });
      expect(res.status, scopes.join()).toBe(200);
      expect((res.json.token as unknown as TokenJson).scopes.sort()).toEqual([...scopes].sort());
    }
  });
});
