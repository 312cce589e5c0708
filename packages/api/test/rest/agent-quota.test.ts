import { auditEvents, plans, users } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, makePerson, type World } from '../helpers';
import { call, restFor, tokenFor } from './rest-helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

/** The agent-hours quota over REST (docs/ARCHITECTURE.md, "Plans and quotas"). */
describe('a used-up agent-hours quota over REST', () => {
  it('refuses a start with 409 naming when it resets, shows it in /me/usage, and a top-up lets the start through', async () => {
    // A zero-hour plan is used up from the month's first moment, whatever the day the test runs.
    await world.db
      .insert(plans)
      .values({ id: 'zero', name: 'Zero hours', monthlyAgentHours: 0, monthlyApiCalls: 100 });
    const person = await makePerson(world.db, 'active');
    await world.db.update(users).set({ planId: 'zero' }).where(eq(users.id, person.id));
    const own = await tokenFor(world.db, person, ['agent:write', 'me:read']);
    const rest = restFor(world.db);
    expect((await call(rest, 'POST', '/me/agent/stop', { token: own })).status).toBe(200);

    const now = new Date();
    const resetsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    const refused = await call(rest, 'POST', '/me/agent/start', { token: own });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(resetsAt.slice(0, 10)),
      details: { reason: 'quota_exhausted', resetsAt },
    });

    const usage = await call(rest, 'GET', '/me/usage', { token: own });
    expect(usage.status).toBe(200);
    expect(usage.json.quota).toMatchObject({
      agentHours: { limit: 0, planHours: 0, topUpHours: 0, exhausted: true, warning: true },
      apiCalls: { limit: 100, exhausted: false },
    });

    const admin = await tokenFor(world.db, world.founder, ['admin:users:write']);
    const bad = await call(rest, 'POST', `/users/${person.id}/quota/top-ups`, {
      token: admin,
      body: { agentHours: -1, reason: 'x' },
    });
    expect(bad.status).toBe(400);
    const granted = await call(rest, 'POST', `/users/${person.id}/quota/top-ups`, {
      token: admin,
      body: { agentHours: 1.5, reason: 'Demo on Friday.' },
    });
    expect(granted.status).toBe(200);
    expect(granted.json).toMatchObject({
      limitHours: 1.5,
      topUpHours: 1.5,
      exhausted: false,
      topUps: [{ agentHours: 1.5, reason: 'Demo on Friday.' }],
    });
    const [audit] = await world.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'quota.topup_granted'));
    expect(audit).toMatchObject({ actorKind: 'token', targetId: person.id, after: { agentHours: 1.5 } });
    expect((await call(rest, 'POST', '/me/agent/start', { token: own })).status).toBe(200);
  });
});
