/**
 * Agents' environment variables over REST, as a script would use them: the rules answer 400 naming
 * the rule, an installation without AGENT_SECRETS_KEY answers 409, no answer ever carries a value, and
 * one person's variables are theirs alone (their routes have no way to name someone else's; the admin
 * routes refuse them, and a name they do not have is a 404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, makePerson, type World } from '../helpers';
import { call, restFor, tokenFor } from './rest-helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

describe('REST /me/agent/env', () => {
  it('sets, lists as last four and deletes; the value is in no answer', async () => {
    const rest = restFor(world.db);
    const ada = await makePerson(world.db, 'active');
    const token = await tokenFor(world.db, ada, ['agent:read', 'agent:write']);
    const secret = `sk-rest-${crypto.randomUUID()}`;

    const put = await call(rest, 'PUT', '/me/agent/env/OPENAI_API_KEY', { token, body: { value: secret } });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect(put.json).toMatchObject({ variable: { name: 'OPENAI_API_KEY', last4: secret.slice(-4) } });
    const list = await call(rest, 'GET', '/me/agent/env', { token });
    expect(list.json).toEqual([
      { name: 'OPENAI_API_KEY', last4: secret.slice(-4), updatedAt: expect.any(String) },
    ]);
    for (const answer of [put, list]) expect(JSON.stringify(answer.json)).not.toContain(secret);
    const activity = await call(rest, 'GET', '/me/activity', {
      token: await tokenFor(world.db, ada, ['me:read']),
    });
    expect(activity.status).toBe(200);
    expect(JSON.stringify(activity.json)).toContain('agent.env_set');
    expect(JSON.stringify(activity.json)).not.toContain(secret);

    expect((await call(rest, 'DELETE', '/me/agent/env/OPENAI_API_KEY', { token })).status).toBe(200);
    expect((await call(rest, 'DELETE', '/me/agent/env/OPENAI_API_KEY', { token })).status).toBe(404);
    expect((await call(rest, 'GET', '/me/agent/env', { token })).json).toEqual([]);
  });

  it('answers 400 naming the rule for a bad or reserved name and a bad value', async () => {
    const rest = restFor(world.db);
    const token = await tokenFor(world.db, await makePerson(world.db, 'active'), ['agent:write']);
    for (const [name, value, rule] of [
      ['lower_case', 'some-value', /A–Z, 0–9 and _/],
      ['PATH', 'some-value', /PATH is reserved/],
      ['AGENT_RUNTIME', 'some-value', /AGENT_ are reserved/],
      ['GOOD', 'two\nlines', /line breaks/],
      ['GOOD', 'x'.repeat(8193), /8192/],
    ] as const) {
      const res = await call(rest, 'PUT', `/me/agent/env/${name}`, { token, body: { value } });
      expect(res.status, name).toBe(400);
      expect(JSON.stringify(res.json), name).toMatch(rule);
    }
  });

  it('answers 409 without AGENT_SECRETS_KEY, saying so', async () => {
    const rest = restFor(world.db, { agentSecretsKey: null });
    const token = await tokenFor(world.db, await makePerson(world.db, 'active'), ['agent:write']);
    const res = await call(rest, 'PUT', '/me/agent/env/OPENAI_API_KEY', {
      token,
      body: { value: 'sk-123456789' },
    });
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.json)).toMatch(/AGENT_SECRETS_KEY/);
  });

  it('keeps one person’s variables from another: their names are 404 to them, the admin routes 403', async () => {
    const rest = restFor(world.db);
    const ada = await makePerson(world.db, 'active');
    const bob = await makePerson(world.db, 'active');
    const adaToken = await tokenFor(world.db, ada, ['agent:read', 'agent:write']);
    const bobToken = await tokenFor(world.db, bob, ['agent:read', 'agent:write']);
    await call(rest, 'PUT', '/me/agent/env/ADA_ONLY', {
      token: adaToken,
      body: { value: 'ada-secret-1234' },
    });

    expect((await call(rest, 'GET', '/me/agent/env', { token: bobToken })).json).toEqual([]);
    expect((await call(rest, 'DELETE', '/me/agent/env/ADA_ONLY', { token: bobToken })).status).toBe(404);
    // Bob's token cannot take the admin routes, whatever scope it asked for.
    expect((await call(rest, 'GET', `/users/${ada.id}/agent/env`, { token: bobToken })).status).toBe(403);
    // Ada's variable is still there.
    expect((await call(rest, 'GET', '/me/agent/env', { token: adaToken })).json).toMatchObject([
      { name: 'ADA_ONLY' },
    ]);

    // An admin reads it (names and last four only) and a person who does not exist is a 404.
    const adminToken = await tokenFor(world.db, world.founder, ['admin:users:read']);
    const seen = await call(rest, 'GET', `/users/${ada.id}/agent/env`, { token: adminToken });
    expect(seen.json).toMatchObject([{ name: 'ADA_ONLY', last4: '1234' }]);
    expect(JSON.stringify(seen.json)).not.toContain('ada-secret');
    expect((await call(rest, 'GET', '/users/no-such-person/agent/env', { token: adminToken })).status).toBe(
      404,
    );
  });
});
