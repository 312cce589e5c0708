/**
 * Revoking a person revokes their API tokens in the same transaction, audited once as part of the
 * revocation, so restoring the person does not bring old tokens back to life.
 */
import { getPersonById, listApiTokens, revokeApiToken } from '@pocket-smyth/core';
import { apiTokens, auditEvents } from '@pocket-smyth/db';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRowsFor,
  callerFor,
  createWorld,
  expectTRPCError,
  fixtureDeps,
  makePerson,
  type World,
} from './helpers';
import { call, restFor, tokenFor } from './rest/rest-helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

describe('revoking a person revokes their tokens', () => {
  it('old tokens answer 401 after a restore, are listed as revoked, and the revocation counts them', async () => {
    const person = await makePerson(world.db, 'active');
    const secrets = [
      await tokenFor(world.db, person, ['me:read']),
      await tokenFor(world.db, person, ['me:read', 'tokens:read']),
      await tokenFor(world.db, person, ['agent:read']),
    ];
    // One token the person had already revoked themselves: not counted again.
    const [alreadyRevoked] = await listApiTokens(world.db, person.id);
    await revokeApiToken(world.db, fixtureDeps, alreadyRevoked!.id, person.id);
    const live = await tokenFor(world.db, person, ['me:read']);
    const rest = restFor(world.db);
    expect((await call(rest, 'GET', '/me', { token: live })).status).toBe(200);

    const admin = callerFor(world.db, world.founder, { requestId: 'req-revoke-tokens' }).admin.users;
    await admin.revoke({ id: person.id, reason: 'Leaked a token.' });
    await admin.restore({ id: person.id });
    const restored = await getPersonById(world.db, person.id);
    expect(restored.status).toBe('active');

    for (const secret of [...secrets, live]) {
      const res = await call(rest, 'GET', '/me', { token: secret });
      expect(res.status).toBe(401);
      expect(res.json.error?.code).toBe('UNAUTHORIZED');
      expect(res.json.error?.message).toMatch(/revoked/);
    }

    // Listed as revoked, to the person (over their session) as to an admin.
    const listed = await call(restFor(world.db, { resolveSession: async () => restored }), 'GET', '/tokens');
    expect(listed.status).toBe(200);
    const tokens = listed.json as unknown as { id: string; revokedAt: string | null }[];
    expect(tokens).toHaveLength(4);
    for (const t of tokens) expect(t.revokedAt).not.toBeNull();
    const rows = await world.db.select().from(apiTokens).where(eq(apiTokens.userId, person.id));
    const byRevocation = rows.filter((r) => r.id !== alreadyRevoked!.id);
    for (const r of byRevocation) expect(r.revokedBy).toBe(world.founder.id);

    // The activity log: one revocation event carrying the count, no event per token.
    const events = await auditRowsFor(world.db, person.id);
    const revocation = events.find((e) => e.action === 'person.revoked');
    expect(revocation).toMatchObject({
      requestId: 'req-revoke-tokens',
      after: expect.objectContaining({ status: 'revoked', tokensRevoked: 3 }),
    });
    const perToken = await world.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'token.revoked'),
          inArray(
            auditEvents.targetId,
            byRevocation.map((r) => r.id),
          ),
        ),
      );
    expect(perToken).toEqual([]);

    // A restored person starts clean: a new token works.
    const fresh = await tokenFor(world.db, restored, ['me:read']);
    expect((await call(rest, 'GET', '/me', { token: fresh })).status).toBe(200);
  });

  it('a revocation whose audit row cannot be written leaves the tokens alive', async () => {
    const person = await makePerson(world.db, 'active');
    const secret = await tokenFor(world.db, person, ['me:read']);
    await world.handle.client.execute(
      `CREATE TRIGGER audit_unavailable_tokens BEFORE INSERT ON audit_events WHEN NEW.target_id = '${person.id}'
       BEGIN SELECT RAISE(ABORT, 'activity log unavailable'); END`,
    );
    try {
      await expectTRPCError(
        callerFor(world.db, world.founder).admin.users.revoke({ id: person.id, reason: 'No.' }),
        'INTERNAL_SERVER_ERROR',
      );
    } finally {
      await world.handle.client.execute('DROP TRIGGER audit_unavailable_tokens');
    }
    const [row] = await world.db.select().from(apiTokens).where(eq(apiTokens.userId, person.id));
    expect(row?.revokedAt).toBeNull();
    expect((await call(restFor(world.db), 'GET', '/me', { token: secret })).status).toBe(200);
  });

  it('a person without tokens is revoked with a count of 0', async () => {
    const person = await makePerson(world.db, 'active');
    await callerFor(world.db, world.founder).admin.users.revoke({ id: person.id, reason: 'Gone.' });
    const revocation = (await auditRowsFor(world.db, person.id)).find((e) => e.action === 'person.revoked');
    expect(revocation?.after).toMatchObject({ status: 'revoked', tokensRevoked: 0 });
  });
});
