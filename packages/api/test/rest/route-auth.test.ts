/**
 * Shared route tests, as unkey does them: every REST route tried with no token, a malformed token, an
 * expired one, a revoked one, a token whose owner was revoked, a token lacking the scope, the wrong
 * role, and the right token, which holds only the one scope the route needs. The route list comes from
 * the OpenAPI document, so a route added without a row here fails the suite.
 */

import type { Person, Scope } from '@pocket-smyth/core';
import { revokePerson, setAgentEnv } from '@pocket-smyth/core';
import { agents, hosts, rollouts, runSteps, runs, timeOrderedId } from '@pocket-smyth/db';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/rest/openapi-document';
import {
  auditCount,
  createWorld,
  fixtureDeps,
  makePerson,
  nextSeq,
  TEST_AGENT_SECRETS_KEY,
  type World,
} from '../helpers';
import { BASE, call, expiredTokenFor, restFor, revokedTokenFor, scopesOf, tokenFor } from './rest-helpers';

interface Prepared {
  path: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
}

interface Route {
  role: 'user' | 'admin';
  scope: Scope;
  /** Makes what one call needs (a fresh target, a body); `caller` is the token's owner. */
  prepare: (world: World, caller: Person) => Promise<Prepared>;
  /** The status the right token gets. */
  ok: number;
}

const none = async (): Promise<Prepared> => ({ path: {} });

/** What the worker would have done: the person's agent is up. */
async function agentIsRunning(w: World, person: Person): Promise<void> {
  await w.db.update(agents).set({ observedState: 'running' }).where(eq(agents.userId, person.id));
}

async function agentIsStopped(w: World, person: Person): Promise<void> {
  await w.db
    .update(agents)
    .set({ desiredState: 'stopped', observedState: 'stopped' })
    .where(eq(agents.userId, person.id));
}

/** The agent of a fresh approved person, for the admin's agent routes. */
async function agentOfSomeone(w: World): Promise<string> {
  const person = await makePerson(w.db, 'active');
  const [agent] = await w.db.select({ id: agents.id }).from(agents).where(eq(agents.userId, person.id));
  return agent!.id;
}

/** A finished run of the person's agent, as the worker records them. */
async function runOf(w: World, person: Person, status: 'succeeded' | 'failed'): Promise<string> {
  const [agent] = await w.db.select().from(agents).where(eq(agents.userId, person.id));
  const id = timeOrderedId();
  await w.db
    .insert(runs)
    .values({ id, agentId: agent!.id, username: agent!.username, kind: 'provision', status });
  await w.db.insert(runSteps).values({ runId: id, position: 0, name: 'place on host', status });
  return id;
}

/** A host with no agents, as an admin adds it. */
async function emptyHost(w: World): Promise<string> {
  const [row] = await w.db
    .insert(hosts)
    .values({ name: `host-${nextSeq()}`, transport: 'local' })
    .returning({ id: hosts.id });
  return row!.id;
}

/** Ends every rollout still moving agents (a fixture's), so a start or a default change is not refused. */
async function noRolloutMoving(w: World): Promise<void> {
  await w.db
    .update(rollouts)
    .set({ status: 'completed' })
    .where(inArray(rollouts.status, ['running', 'paused', 'rolling_back']));
}

/** A rollout as the worker leaves it in `status`, with no agents, and the newest (so it can be rolled back). */
async function rolloutIn(w: World, status: 'running' | 'paused' | 'stopped_failed'): Promise<string> {
  await noRolloutMoving(w);
  const id = timeOrderedId();
  await w.db.insert(rollouts).values({
    id,
    toImage: `registry.example.test/agent:${nextSeq()}`,
    batchSize: 1,
    failureThresholdPercent: 10,
    status,
  });
  return id;
}

/** Someone's agent running on a host of its own, and another active host to move it to. */
async function placedAgentAndTarget(w: World): Promise<{ id: string; hostId: string }> {
  const id = await agentOfSomeone(w);
  const [source, target] = [await emptyHost(w), await emptyHost(w)];
  await w.db.update(agents).set({ hostId: source, observedState: 'running' }).where(eq(agents.id, id));
  return { id, hostId: target };
}

/** A draining host with someone's agent on it. */
async function drainingHostWithAgent(w: World): Promise<string> {
  const { id, hostId } = await placedAgentAndTarget(w);
  await w.db.update(agents).set({ hostId }).where(eq(agents.id, id));
  await w.db.update(hosts).set({ status: 'draining' }).where(eq(hosts.id, hostId));
  return hostId;
}

const routes: Record<string, Route> = {
  'GET /me': { role: 'user', scope: 'me:read', prepare: none, ok: 200 },
  'GET /usernames/{username}': {
    role: 'user',
    scope: 'me:read',
    prepare: async () => ({ path: { username: `free-${nextSeq()}` } }),
    ok: 200,
  },
  // Tokens belong to approved people, who have finished onboarding: the route answers 409 for them.
  'POST /me/onboarding': {
    role: 'user',
    scope: 'me:write',
    prepare: async () => ({ path: {}, body: { username: `late-${nextSeq()}` } }),
    ok: 409,
  },
  'PATCH /me/preferences': {
    role: 'user',
    scope: 'me:write',
    prepare: async () => ({ path: {}, body: { displayName: 'Over REST' } }),
    ok: 200,
  },
  'GET /me/agent': { role: 'user', scope: 'agent:read', prepare: none, ok: 200 },
  'POST /me/agent/restart': {
    role: 'user',
    scope: 'agent:write',
    prepare: async (w, caller) => {
      await agentIsRunning(w, caller);
      return { path: {} };
    },
    ok: 200,
  },
  'POST /me/agent/stop': { role: 'user', scope: 'agent:write', prepare: none, ok: 200 },
  'POST /me/agent/start': {
    role: 'user',
    scope: 'agent:write',
    prepare: async (w, caller) => {
      await agentIsStopped(w, caller);
      return { path: {} };
    },
    ok: 200,
  },
  'GET /agents': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'POST /agents/{id}/stop': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await agentOfSomeone(w) } }),
    ok: 200,
  },
  'POST /agents/{id}/start': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await agentOfSomeone(w) } }),
    ok: 200,
  },
  'POST /agents/{id}/restart': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => {
      const id = await agentOfSomeone(w);
      await w.db.update(agents).set({ observedState: 'running' }).where(eq(agents.id, id));
      return { path: { id } };
    },
    ok: 200,
  },
  'POST /agents/command': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: {}, body: { ids: [await agentOfSomeone(w)], command: 'stop' } }),
    ok: 200,
  },
  'POST /agents/{id}/move': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => {
      const { id, hostId } = await placedAgentAndTarget(w);
      return { path: { id }, body: { hostId } };
    },
    ok: 200,
  },
  'PUT /me/agent/public': {
    role: 'user',
    scope: 'agent:write',
    prepare: async () => ({ path: {}, body: { enabled: true } }),
    ok: 200,
  },
  'GET /me/runs': { role: 'user', scope: 'agent:read', prepare: none, ok: 200 },
  'GET /me/agent/env': { role: 'user', scope: 'agent:read', prepare: none, ok: 200 },
  'PUT /me/agent/env/{name}': {
    role: 'user',
    scope: 'agent:write',
    prepare: async () => ({ path: { name: 'ROUTE_KEY' }, body: { value: 'route-value-1234' } }),
    ok: 200,
  },
  'DELETE /me/agent/env/{name}': {
    role: 'user',
    scope: 'agent:write',
    prepare: async (w, caller) => {
      await setAgentEnv(
        w.db,
        fixtureDeps,
        { personId: caller.id, own: true },
        { name: 'ROUTE_KEY', value: 'route-value-1234' },
        TEST_AGENT_SECRETS_KEY,
      );
      return { path: { name: 'ROUTE_KEY' } };
    },
    ok: 200,
  },
  'GET /users/{id}/agent/env': {
    role: 'admin',
    scope: 'admin:users:read',
    prepare: async (w) => ({ path: { id: (await makePerson(w.db, 'active')).id } }),
    ok: 200,
  },
  'PUT /users/{id}/agent/env/{name}': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => ({
      path: { id: (await makePerson(w.db, 'active')).id, name: 'ROUTE_KEY' },
      body: { value: 'route-value-1234' },
    }),
    ok: 200,
  },
  'DELETE /users/{id}/agent/env/{name}': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => {
      const person = await makePerson(w.db, 'active');
      await setAgentEnv(
        w.db,
        fixtureDeps,
        { personId: person.id, own: true },
        { name: 'ROUTE_KEY', value: 'route-value-1234' },
        TEST_AGENT_SECRETS_KEY,
      );
      return { path: { id: person.id, name: 'ROUTE_KEY' } };
    },
    ok: 200,
  },
  'GET /me/agent/metrics': { role: 'user', scope: 'agent:read', prepare: none, ok: 200 },
  // The caller's fixture agent was never placed: no lines, without asking the worker.
  'GET /me/agent/logs': { role: 'user', scope: 'agent:read', prepare: none, ok: 200 },
  'GET /users/{id}/agent/logs': {
    role: 'admin',
    scope: 'admin:users:read',
    prepare: async (w) => ({ path: { id: (await makePerson(w.db, 'active')).id }, query: { tail: '20' } }),
    ok: 200,
  },
  'GET /me/activity': { role: 'user', scope: 'me:read', prepare: none, ok: 200 },
  'GET /me/usage': { role: 'user', scope: 'me:read', prepare: none, ok: 200 },
  'GET /users/{id}/usage': {
    role: 'admin',
    scope: 'admin:users:read',
    prepare: async (w) => ({
      path: { id: (await makePerson(w.db, 'active')).id },
      query: { period: '2026-02' },
    }),
    ok: 200,
  },
  'GET /users/{id}/quota': {
    role: 'admin',
    scope: 'admin:users:read',
    prepare: async (w) => ({ path: { id: (await makePerson(w.db, 'active')).id } }),
    ok: 200,
  },
  'POST /users/{id}/quota/top-ups': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => ({
      path: { id: (await makePerson(w.db, 'active')).id },
      body: { agentHours: 2, reason: 'A deadline this week.' },
    }),
    ok: 200,
  },
  'GET /outbox': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'GET /me/runs/{id}': {
    role: 'user',
    scope: 'agent:read',
    prepare: async (w, caller) => ({ path: { id: await runOf(w, caller, 'succeeded') } }),
    ok: 200,
  },
  'GET /runs': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'GET /hosts': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'GET /hosts/{id}/history': {
    role: 'admin',
    scope: 'admin:system:read',
    prepare: async (w) => ({ path: { id: await emptyHost(w) }, query: { hours: '24' } }),
    ok: 200,
  },
  'POST /hosts': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async () => ({ path: {}, body: { name: `rest-${nextSeq()}`, transport: 'local' } }),
    ok: 200,
  },
  'POST /hosts/{id}/drain': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await emptyHost(w) } }),
    ok: 200,
  },
  'POST /hosts/{id}/evacuate': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await drainingHostWithAgent(w) }, body: { batchSize: 2 } }),
    ok: 200,
  },
  'GET /hosts/{id}/evacuation': {
    role: 'admin',
    scope: 'admin:system:read',
    prepare: async (w) => ({ path: { id: await emptyHost(w) } }),
    ok: 200,
  },
  'POST /hosts/{id}/activate': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await emptyHost(w) } }),
    ok: 200,
  },
  'DELETE /hosts/{id}': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await emptyHost(w) } }),
    ok: 200,
  },
  'GET /runs/{id}': {
    role: 'admin',
    scope: 'admin:system:read',
    prepare: async (w) => ({ path: { id: await runOf(w, await makePerson(w.db, 'active'), 'failed') } }),
    ok: 200,
  },
  'POST /runs/{id}/retry': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await runOf(w, await makePerson(w.db, 'active'), 'failed') } }),
    ok: 200,
  },
  'GET /tokens': { role: 'user', scope: 'tokens:read', prepare: none, ok: 200 },
  'GET /tokens/scopes': { role: 'user', scope: 'tokens:read', prepare: none, ok: 200 },
  'POST /tokens': {
    role: 'user',
    scope: 'tokens:write',
    // A token may only mint tokens within its own scopes.
    prepare: async () => ({
      path: {},
      body: { name: `ci-${nextSeq()}`, scopes: ['tokens:write'], expiresInDays: 7 },
    }),
    ok: 200,
  },
  'DELETE /tokens/{id}': {
    role: 'user',
    scope: 'tokens:write',
    prepare: async (w, caller) => {
      const secret = await tokenFor(w.db, caller, ['me:read']);
      const res = await call(restFor(w.db), 'GET', '/tokens', {
        token: await tokenFor(w.db, caller, ['tokens:read']),
      });
      const mine = (res.json as unknown as { id: string; prefix: string }[]).find((t) =>
        secret.startsWith(t.prefix),
      );
      return { path: { id: mine!.id } };
    },
    ok: 200,
  },
  'GET /users': { role: 'admin', scope: 'admin:users:read', prepare: none, ok: 200 },
  'GET /users/{id}': {
    role: 'admin',
    scope: 'admin:users:read',
    prepare: async (w) => ({ path: { id: (await makePerson(w.db, 'pending')).id } }),
    ok: 200,
  },
  'POST /users/approve': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => ({ path: {}, body: { ids: [(await makePerson(w.db, 'pending')).id] } }),
    ok: 200,
  },
  'POST /users/{id}/approve': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => ({ path: { id: (await makePerson(w.db, 'pending')).id } }),
    ok: 200,
  },
  'POST /users/reject': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => ({
      path: {},
      body: { ids: [(await makePerson(w.db, 'pending')).id], reason: 'No.' },
    }),
    ok: 200,
  },
  'POST /users/{id}/reject': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => ({ path: { id: (await makePerson(w.db, 'pending')).id }, body: { reason: 'No.' } }),
    ok: 200,
  },
  'POST /users/{id}/revoke': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => ({
      path: { id: (await makePerson(w.db, 'active')).id },
      body: { reason: 'Misuse.' },
    }),
    ok: 200,
  },
  'POST /users/{id}/restore': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => ({ path: { id: (await makePerson(w.db, 'revoked')).id } }),
    ok: 200,
  },
  'PUT /users/{id}/agent/image': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({
      path: { id: (await makePerson(w.db, 'active')).id },
      body: { image: 'registry.example.test/agent:own' },
    }),
    ok: 200,
  },
  'GET /settings/agent-image': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'PUT /settings/agent-image': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => {
      await noRolloutMoving(w);
      return { path: {}, body: { image: `registry.example.test/agent:${nextSeq()}` } };
    },
    ok: 200,
  },
  'GET /plans': { role: 'admin', scope: 'admin:plans:read', prepare: none, ok: 200 },
  'GET /plans/{id}': {
    role: 'admin',
    scope: 'admin:plans:read',
    prepare: async () => ({ path: { id: 'standard' } }),
    ok: 200,
  },
  'POST /plans': {
    role: 'admin',
    scope: 'admin:plans:write',
    prepare: async () => ({ path: {}, body: { name: `Plan ${nextSeq()}`, maxApiTokens: 5 } }),
    ok: 200,
  },
  'PATCH /plans/{id}': {
    role: 'admin',
    scope: 'admin:plans:write',
    prepare: async () => ({ path: { id: 'standard' }, body: { description: `Edited ${nextSeq()}` } }),
    ok: 200,
  },
  'POST /plans/{planId}/assign': {
    role: 'admin',
    scope: 'admin:plans:write',
    prepare: async (w) => ({
      path: { planId: 'standard' },
      body: { ids: [(await makePerson(w.db, 'active')).id] },
    }),
    ok: 200,
  },
  'PUT /users/{id}/plan': {
    role: 'admin',
    scope: 'admin:plans:write',
    prepare: async (w) => ({
      path: { id: (await makePerson(w.db, 'active')).id },
      body: { planId: 'standard' },
    }),
    ok: 200,
  },
  'GET /me/plan': { role: 'user', scope: 'me:read', prepare: none, ok: 200 },
  'GET /rollouts': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'GET /rollouts/{id}': {
    role: 'admin',
    scope: 'admin:system:read',
    prepare: async (w) => ({ path: { id: await rolloutIn(w, 'stopped_failed') } }),
    ok: 200,
  },
  'POST /rollouts': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => {
      await noRolloutMoving(w);
      return { path: {}, body: { image: `registry.example.test/agent:${nextSeq()}`, batchSize: 2 } };
    },
    ok: 200,
  },
  'POST /rollouts/{id}/pause': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await rolloutIn(w, 'running') } }),
    ok: 200,
  },
  'POST /rollouts/{id}/resume': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await rolloutIn(w, 'paused') } }),
    ok: 200,
  },
  'POST /rollouts/{id}/rollback': {
    role: 'admin',
    scope: 'admin:system:write',
    prepare: async (w) => ({ path: { id: await rolloutIn(w, 'stopped_failed') } }),
    ok: 200,
  },
  'DELETE /users/{id}': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => {
      const p = await makePerson(w.db, 'pending');
      return { path: { id: p.id }, query: { confirm: p.username! } };
    },
    ok: 200,
  },
  'GET /activity': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'GET /activity/export': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'GET /usage/export': {
    role: 'admin',
    scope: 'admin:users:read',
    prepare: async () => ({ path: {}, query: { from: '2026-01-01', to: '2026-01-31' } }),
    ok: 200,
  },
  'GET /system/status': { role: 'admin', scope: 'admin:system:read', prepare: none, ok: 200 },
  'GET /system/analytics': {
    role: 'admin',
    scope: 'admin:system:read',
    prepare: async () => ({ path: {}, query: { days: '90' } }),
    ok: 200,
  },
  'GET /usage': {
    role: 'admin',
    scope: 'admin:users:read',
    prepare: async () => ({ path: {}, query: { period: '2026-01', planId: 'standard' } }),
    ok: 200,
  },
  'GET /usage/people': {
    role: 'admin',
    scope: 'admin:users:read',
    prepare: async () => ({ path: {}, query: { period: '2026-01', limit: '10' } }),
    ok: 200,
  },
  'GET /admin/tokens': { role: 'admin', scope: 'admin:users:read', prepare: none, ok: 200 },
  'DELETE /admin/tokens/{id}': {
    role: 'admin',
    scope: 'admin:users:write',
    prepare: async (w) => {
      const owner = await makePerson(w.db, 'active');
      const secret = await tokenFor(w.db, owner, ['me:read']);
      const res = await call(restFor(w.db), 'GET', '/admin/tokens', {
        token: await tokenFor(w.db, w.founder, ['admin:users:read']),
      });
      const theirs = (res.json as unknown as { id: string; prefix: string }[]).find((t) =>
        secret.startsWith(t.prefix),
      );
      return { path: { id: theirs!.id } };
    },
    ok: 200,
  },
};

type Case =
  | 'no token'
  | 'malformed'
  | 'expired'
  | 'revoked'
  | 'revoked owner'
  | 'lacking scope'
  | 'wrong role'
  | 'right';

const expected: Record<Exclude<Case, 'right'>, number> = {
  'no token': 401,
  malformed: 401,
  expired: 401,
  revoked: 401,
  'revoked owner': 401,
  'lacking scope': 403,
  'wrong role': 403,
};

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? `missing-${k}`));
}

async function ownerFor(role: 'user' | 'admin'): Promise<Person> {
  return makePerson(world.db, role === 'admin' ? 'admin' : 'active');
}

/** The Authorization header for a case, or null for no header. */
async function authorizationFor(c: Case, route: Route, owner: Person): Promise<string | null> {
  const needs = [route.scope];
  switch (c) {
    case 'no token':
      return null;
    case 'malformed':
      return 'Bearer not-a-token';
    case 'expired':
      return `Bearer ${await expiredTokenFor(world.db, owner, needs)}`;
    case 'revoked':
      return `Bearer ${await revokedTokenFor(world.db, owner, needs)}`;
    case 'revoked owner': {
      const doomed = await ownerFor(route.role);
      const secret = await tokenFor(world.db, doomed, needs);
      await revokePerson(world.db, fixtureDeps, doomed.id, 'Gone.');
      return `Bearer ${secret}`;
    }
    case 'lacking scope':
      return `Bearer ${await tokenFor(
        world.db,
        owner,
        scopesOf(route.role).filter((s) => s !== route.scope),
      )}`;
    case 'wrong role':
      return `Bearer ${await tokenFor(world.db, await ownerFor('user'), scopesOf('user'))}`;
    case 'right':
      return `Bearer ${await tokenFor(world.db, owner, needs)}`;
  }
}

describe('the route table covers the whole API', () => {
  it('has a row for every operation in the OpenAPI document, and no stale rows', () => {
    const doc = buildOpenApiDocument(BASE);
    const documented = Object.entries(doc.paths ?? {})
      .flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(Object.keys(routes).sort()).toEqual(documented);
  });

  it('names in the document the same scope the table expects', () => {
    const doc = buildOpenApiDocument(BASE);
    for (const [key, route] of Object.entries(routes)) {
      const [method, path] = key.split(' ') as [string, string];
      const paths = (doc.paths ?? {}) as Record<string, Record<string, { 'x-required-scope'?: string }>>;
      const item = paths[path];
      const op = item?.[method.toLowerCase()];
      expect(op?.['x-required-scope'], key).toBe(route.scope);
    }
  });
});

for (const [key, route] of Object.entries(routes)) {
  const [method, path] = key.split(' ') as [string, string];
  const cases: Case[] = [
    'no token',
    'malformed',
    'expired',
    'revoked',
    'revoked owner',
    'lacking scope',
    ...(route.role === 'admin' ? (['wrong role'] as const) : []),
    'right',
  ];
  describe(key, () => {
    for (const c of cases) {
      it(`${c} → ${c === 'right' ? route.ok : expected[c]}`, async () => {
        const owner = await ownerFor(route.role);
        const prepared = await route.prepare(world, owner);
        const authorization = await authorizationFor(c, route, owner);
        const before = await auditCount(world.db);
        const res = await call(restFor(world.db), method, fill(path, prepared.path), {
          ...(authorization === null ? {} : { authorization }),
          body: prepared.body,
          query: prepared.query,
        });
        const want = c === 'right' ? route.ok : expected[c];
        expect(res.status, JSON.stringify(res.json)).toBe(want);
        expect(res.headers.get('x-request-id')).toMatch(/^[\w.-]{8,}$/);
        if (want >= 400) {
          expect(res.json.error).toMatchObject({
            code: expect.any(String),
            message: expect.any(String),
            requestId: res.headers.get('x-request-id'),
          });
          // A refused call changes nothing.
          expect(await auditCount(world.db)).toBe(before);
        }
      });
    }
  });
}
