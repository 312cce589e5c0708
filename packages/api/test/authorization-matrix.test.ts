/**
 * Every procedure of appRouter, called through createCaller as every kind of caller. The list of
 * procedures comes from the router itself, so a procedure added without a row here fails the suite.
 */

import type { Person } from '@pocket-smyth/core';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/root';
import {
  auditCount,
  type CallerRole,
  callerFor,
  callerRoles,
  createWorld,
  makePerson,
  nextSeq,
  personRow,
  type World,
} from './helpers';

/** `ok` resolves; the others are the exact TRPCError code. CONFLICT etc. passed the auth gate. */
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'CONFLICT' | 'NOT_FOUND' | 'BAD_REQUEST';
const denials: ReadonlySet<Outcome> = new Set(['UNAUTHORIZED', 'FORBIDDEN']);

interface MatrixRow {
  /** Builds the input for one call; `target` is a fresh person the call may act on. */
  input: (target: Person) => unknown;
  /** The state the target is made in, for procedures that act on someone. */
  target?: 'pending' | 'active' | 'revoked';
  expect: Record<CallerRole, Outcome>;
}

const matrix: Record<string, MatrixRow> = {
  'user.me': {
    input: () => undefined,
    expect: {
      anonymous: 'UNAUTHORIZED',
      onboarding: 'ok',
      pending: 'ok',
      active: 'ok',
      revoked: 'ok',
      rejected: 'ok',
      admin: 'ok',
    },
  },
  'user.checkUsername': {
    input: () => ({ username: `free-${nextSeq()}` }),
    expect: {
      anonymous: 'UNAUTHORIZED',
      onboarding: 'ok',
      pending: 'ok',
      active: 'ok',
      revoked: 'FORBIDDEN',
      rejected: 'FORBIDDEN',
      admin: 'ok',
    },
  },
  'user.completeOnboarding': {
    input: () => ({ username: `chosen-${nextSeq()}` }),
    // Only someone still onboarding can finish it; everyone else in good standing already has.
    expect: {
      anonymous: 'UNAUTHORIZED',
      onboarding: 'ok',
      pending: 'CONFLICT',
      active: 'CONFLICT',
      revoked: 'FORBIDDEN',
      rejected: 'FORBIDDEN',
      admin: 'CONFLICT',
    },
  },
  'user.updatePreferences': {
    input: () => ({ displayName: 'Matrix' }),
    expect: {
      anonymous: 'UNAUTHORIZED',
      onboarding: 'ok',
      pending: 'ok',
      active: 'ok',
      revoked: 'FORBIDDEN',
      rejected: 'FORBIDDEN',
      admin: 'ok',
    },
  },
  'agent.get': {
    input: () => undefined,
    expect: {
      anonymous: 'UNAUTHORIZED',
      onboarding: 'FORBIDDEN',
      pending: 'FORBIDDEN',
      active: 'ok',
      revoked: 'FORBIDDEN',
      rejected: 'FORBIDDEN',
      admin: 'ok',
    },
  },
  'admin.users.list': { input: () => ({ status: 'pending' }), expect: adminOnly() },
  'admin.users.get': { target: 'pending', input: (t) => ({ id: t.id }), expect: adminOnly() },
  'admin.users.approve': { target: 'pending', input: (t) => ({ ids: [t.id] }), expect: adminOnly() },
  'admin.users.reject': {
    target: 'pending',
    input: (t) => ({ ids: [t.id], reason: 'Matrix.' }),
    expect: adminOnly(),
  },
  'admin.users.revoke': {
    target: 'active',
    input: (t) => ({ id: t.id, reason: 'Matrix.' }),
    expect: adminOnly(),
  },
  'admin.users.restore': { target: 'revoked', input: (t) => ({ id: t.id }), expect: adminOnly() },
  'admin.users.delete': {
    target: 'pending',
    input: (t) => ({ id: t.id, confirm: t.username }),
    expect: adminOnly(),
  },
  'admin.users.approveOne': { target: 'pending', input: (t) => ({ id: t.id }), expect: adminOnly() },
  'admin.users.rejectOne': {
    target: 'pending',
    input: (t) => ({ id: t.id, reason: 'Matrix.' }),
    expect: adminOnly(),
  },
  'admin.activity.list': { input: () => ({ action: 'person.approved' }), expect: adminOnly() },
  'admin.activity.export': { input: () => ({ action: 'person.approved' }), expect: adminOnly() },
  'admin.usage.export': { input: () => ({ from: '2026-01-01', to: '2026-01-31' }), expect: adminOnly() },
  'admin.usage.report': { input: () => ({ period: '2026-01' }), expect: adminOnly() },
  'admin.usage.people': { input: () => ({ period: '2026-01', limit: 10 }), expect: adminOnly() },
  'admin.tokens.list': { input: () => ({}), expect: adminOnly() },
  // Allowed callers pass the gate and then find no such token.
  'admin.tokens.revoke': { input: () => ({ id: 'no-such-token' }), expect: adminOnly('NOT_FOUND') },
  'system.status': { input: () => undefined, expect: adminOnly() },
  'system.analytics': { input: () => ({ days: 30 }), expect: adminOnly() },
  // Fixture agents have never run, so a restart passes the gate and then meets the wrong state.
  'agent.restart': { input: () => undefined, expect: activeOnly('CONFLICT') },
  // Fixture agents are wanted running and never ran: start finds nothing to do, stop stops them.
  'agent.start': { input: () => undefined, expect: activeOnly() },
  'agent.stop': { input: () => undefined, expect: activeOnly() },
  'admin.agents.list': { input: () => ({ drifted: true }), expect: adminOnly() },
  // Allowed callers pass the gate and then find no such agent (the bulk form says so per id).
  'admin.agents.start': { input: () => ({ id: 'no-such-agent' }), expect: adminOnly('NOT_FOUND') },
  'admin.agents.stop': { input: () => ({ id: 'no-such-agent' }), expect: adminOnly('NOT_FOUND') },
  'admin.agents.restart': { input: () => ({ id: 'no-such-agent' }), expect: adminOnly('NOT_FOUND') },
  'admin.agents.move': {
    input: () => ({ id: 'no-such-agent', hostId: 'no-such-host' }),
    expect: adminOnly('NOT_FOUND'),
  },
  'admin.agents.command': {
    input: () => ({ ids: ['no-such-agent'], command: 'stop' }),
    expect: adminOnly(),
  },
  'agent.setPublic': { input: () => ({ enabled: true }), expect: activeOnly() },
  'agent.env.list': { input: () => undefined, expect: activeOnly() },
  'agent.env.set': {
    input: () => ({ name: 'MATRIX_KEY', value: 'matrix-value-1234' }),
    expect: activeOnly(),
  },
  // Allowed callers pass the gate and then find no such variable of their own.
  'agent.env.delete': { input: () => ({ name: 'NO_SUCH_VAR' }), expect: activeOnly('NOT_FOUND') },
  'admin.users.env.list': { target: 'active', input: (t) => ({ id: t.id }), expect: adminOnly() },
  'admin.users.env.set': {
    target: 'active',
    input: (t) => ({ id: t.id, name: 'MATRIX_KEY', value: 'matrix-value-1234' }),
    expect: adminOnly(),
  },
  'admin.users.env.delete': {
    target: 'active',
    input: (t) => ({ id: t.id, name: 'NO_SUCH_VAR' }),
    expect: adminOnly('NOT_FOUND'),
  },
  'agent.metrics': { input: () => ({ minutes: 60 }), expect: activeOnly() },
  // Fixture agents were never placed on a host: the read passes the gate and finds no lines.
  'agent.logs': { input: () => ({ tail: 10 }), expect: activeOnly() },
  'agent.followLogs': { input: () => ({ tail: 10 }), expect: activeOnly() },
  'admin.users.agentLogs': { target: 'active', input: (t) => ({ id: t.id, tail: 10 }), expect: adminOnly() },
  'admin.users.followAgentLogs': { target: 'active', input: (t) => ({ id: t.id }), expect: adminOnly() },
  'user.activity': { input: () => ({}), expect: activeOnly() },
  'user.usage': { input: () => ({}), expect: activeOnly() },
  'user.plan': { input: () => ({}), expect: activeOnly() },
  'admin.users.usage': {
    target: 'active',
    input: (t) => ({ id: t.id, period: '2026-02' }),
    expect: adminOnly(),
  },
  'admin.users.quota': { target: 'active', input: (t) => ({ id: t.id }), expect: adminOnly() },
  'admin.users.grantQuotaTopUp': {
    target: 'active',
    input: (t) => ({ id: t.id, agentHours: 1, reason: 'matrix' }),
    expect: adminOnly(),
  },
  'admin.outbox.list': { input: () => ({}), expect: adminOnly() },
  'runs.mine': { input: () => ({}), expect: activeOnly() },
  'runs.get': { input: () => ({ id: 'no-such-run' }), expect: activeOnly('NOT_FOUND') },
  'admin.runs.list': { input: () => ({}), expect: adminOnly() },
  'admin.runs.get': { input: () => ({ id: 'no-such-run' }), expect: adminOnly('NOT_FOUND') },
  'admin.runs.retry': { input: () => ({ id: 'no-such-run' }), expect: adminOnly('NOT_FOUND') },
  'admin.hosts.list': { input: () => ({}), expect: adminOnly() },
  'admin.hosts.history': { input: () => ({ id: 'no-such-host', hours: 6 }), expect: adminOnly('NOT_FOUND') },
  'admin.hosts.add': {
    input: () => ({ name: `matrix-${nextSeq()}`, transport: 'local' }),
    expect: adminOnly(),
  },
  // Allowed callers pass the gate and then find no such host.
  'admin.hosts.drain': { input: () => ({ id: 'no-such-host' }), expect: adminOnly('NOT_FOUND') },
  'admin.hosts.activate': { input: () => ({ id: 'no-such-host' }), expect: adminOnly('NOT_FOUND') },
  'admin.hosts.remove': { input: () => ({ id: 'no-such-host' }), expect: adminOnly('NOT_FOUND') },
  'admin.settings.image.get': { input: () => ({}), expect: adminOnly() },
  'admin.settings.image.set': { input: () => ({ image: null }), expect: adminOnly() },
  // A pending person has no agent yet: allowed callers pass the gate and find none.
  'admin.users.setImage': {
    target: 'pending',
    input: (t) => ({ id: t.id, image: 'registry.example.test/agent:2' }),
    expect: adminOnly('NOT_FOUND'),
  },
  'admin.plans.list': { input: () => ({}), expect: adminOnly() },
  'admin.plans.get': { input: () => ({ id: 'standard' }), expect: adminOnly() },
  'admin.plans.create': {
    input: () => ({ name: `Plan ${nextSeq()}`, monthlyAgentHours: 10 }),
    expect: adminOnly(),
  },
  'admin.plans.update': {
    input: () => ({ id: 'standard', description: `Edited ${nextSeq()}` }),
    expect: adminOnly(),
  },
  'admin.plans.assign': {
    target: 'pending',
    input: (t) => ({ planId: 'standard', ids: [t.id] }),
    expect: adminOnly(),
  },
  'admin.plans.setForPerson': {
    target: 'pending',
    input: (t) => ({ id: t.id, planId: 'standard' }),
    expect: adminOnly(),
  },
  'admin.rollouts.list': { input: () => ({}), expect: adminOnly() },
  'admin.rollouts.get': { input: () => ({ id: 'no-such-rollout' }), expect: adminOnly('NOT_FOUND') },
  // No agent runs in this world: each rollout has nobody to move and is completed at once.
  'admin.rollouts.start': {
    input: () => ({ image: `registry.example.test/agent:${nextSeq()}`, batchSize: 2 }),
    expect: adminOnly(),
  },
  'admin.rollouts.pause': { input: () => ({ id: 'no-such-rollout' }), expect: adminOnly('NOT_FOUND') },
  'admin.rollouts.resume': { input: () => ({ id: 'no-such-rollout' }), expect: adminOnly('NOT_FOUND') },
  'admin.rollouts.rollback': { input: () => ({ id: 'no-such-rollout' }), expect: adminOnly('NOT_FOUND') },
  'admin.hosts.evacuate': {
    input: () => ({ id: 'no-such-host', batchSize: 2 }),
    expect: adminOnly('NOT_FOUND'),
  },
  'admin.hosts.evacuation': { input: () => ({ id: 'no-such-host' }), expect: adminOnly('NOT_FOUND') },
  'tokens.list': { input: () => undefined, expect: activeOnly() },
  'tokens.scopes': { input: () => undefined, expect: activeOnly() },
  'tokens.create': {
    input: () => ({ name: `matrix-${nextSeq()}`, scopes: ['me:read'], expiresInDays: 30 }),
    expect: activeOnly(),
  },
  'tokens.revoke': { input: () => ({ id: 'no-such-token' }), expect: activeOnly('NOT_FOUND') },
};

/** Any approved person, admins included. */
function activeOnly(allowed: Outcome = 'ok'): Record<CallerRole, Outcome> {
  return {
    anonymous: 'UNAUTHORIZED',
    onboarding: 'FORBIDDEN',
    pending: 'FORBIDDEN',
    active: allowed,
    revoked: 'FORBIDDEN',
    rejected: 'FORBIDDEN',
    admin: allowed,
  };
}

function adminOnly(allowed: Outcome = 'ok'): Record<CallerRole, Outcome> {
  return {
    anonymous: 'UNAUTHORIZED',
    onboarding: 'FORBIDDEN',
    pending: 'FORBIDDEN',
    active: 'FORBIDDEN',
    revoked: 'FORBIDDEN',
    rejected: 'FORBIDDEN',
    admin: allowed,
  };
}

type Procedure = (input?: unknown) => Promise<unknown>;

/** Walks the caller proxy along a dotted path, e.g. `admin.users.list`. */
function procedureAt(caller: unknown, path: string): Procedure {
  let node: unknown = caller;
  for (const key of path.split('.')) node = (node as Record<string, unknown>)[key];
  if (typeof node !== 'function') throw new Error(`createCaller has no procedure at ${path}`);
  return node as Procedure;
}

const routerPaths = Object.keys(appRouter._def.procedures).sort();

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

describe('authorization matrix', () => {
  it('has a row for exactly the procedures appRouter exposes', () => {
    expect(routerPaths.length).toBeGreaterThan(0);
    expect(Object.keys(matrix).sort()).toEqual(routerPaths);
  });

  const cells = routerPaths.flatMap((path) => callerRoles.map((role) => ({ path, role })));

  it.each(cells)('$path as $role', async ({ path, role }) => {
    const row = matrix[path];
    if (!row) throw new Error(`${path} is missing from the authorization matrix`);
    const expected = row.expect[role];
    const db = world.db;
    const caller = role === 'anonymous' ? null : await makePerson(db, role);
    const target = row.target ? await makePerson(db, row.target) : world.founder;
    const targetBefore = await personRow(db, target.id);
    const auditBefore = await auditCount(db);

    const outcome = await procedureAt(
      callerFor(db, caller),
      path,
    )(row.input(target)).then(
      () => 'ok' as const,
      (error: unknown) => {
        if (!(error instanceof TRPCError)) throw error;
        return error.code;
      },
    );

    expect(outcome).toBe(expected);
    if (denials.has(expected)) {
      // A denied call must not have reached the procedure: nothing written, target untouched.
      expect(await auditCount(db)).toBe(auditBefore);
      expect(await personRow(db, target.id)).toEqual(targetBefore);
    }
  });
});

describe('denial messages', () => {
  const db = () => world.db;

  it('tells anonymous callers to sign in', async () => {
    await expect(callerFor(db(), null).user.me()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Sign in first.',
    });
  });

  it('tells rejected and revoked people why, and still lets them read `me`', async () => {
    const rejected = await makePerson(db(), 'rejected');
    const revoked = await makePerson(db(), 'revoked');
    await expect(callerFor(db(), rejected).user.checkUsername({ username: 'abc' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your request to join was rejected.',
    });
    await expect(callerFor(db(), revoked).user.checkUsername({ username: 'abc' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your access has been revoked.',
    });
    expect(await callerFor(db(), revoked).user.me()).toMatchObject({
      status: 'revoked',
      statusReason: 'Misuse.',
      needsOnboarding: false,
    });
  });

  it('tells pending and onboarding people what they are waiting for', async () => {
    const pending = await makePerson(db(), 'pending');
    const onboarding = await makePerson(db(), 'onboarding');
    await expect(callerFor(db(), pending).agent.get()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your account is waiting for approval.',
    });
    await expect(callerFor(db(), onboarding).agent.get()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Finish onboarding to continue.',
    });
  });

  it('tells active non-admins the admin panel is for admins', async () => {
    const active = await makePerson(db(), 'active');
    await expect(callerFor(db(), active).admin.users.list({})).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only admins can do this.',
    });
  });

  it('checks the caller before the input, so a denied caller learns nothing about the input shape', async () => {
    const active = await makePerson(db(), 'active');
    const approve = procedureAt(callerFor(db(), active), 'admin.users.approve');
    await expect(approve({ ids: 'not-an-array' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
