/**
 * Person lifecycle (docs/ARCHITECTURE.md, "Lifecycles"): every legal transition, every illegal one, registration, and delete.
 */

import {
  AppError,
  completeOnboarding,
  deletePerson,
  getPersonById,
  registerPerson,
  revokePerson,
} from '@pocket-smyth/core';
import { agents, users } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSession,
  agentRowByPerson,
  auditRowsFor,
  callerFor,
  createWorld,
  depsFor,
  expectTRPCError,
  type FixtureState,
  makePerson,
  makeUnnamedAdmin,
  noAdminEmails,
  personRow,
  recordingEnqueue,
  sessionCount,
  type World,
} from './helpers';

// One database per file; every test makes its own people, so tests do not see each other's changes.
let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

describe('registration', () => {
  it('makes the first person of a fresh install an active admin', async () => {
    const db = world.db;
    expect(world.founder).toMatchObject({ role: 'admin', status: 'active', username: 'founder' });
    const [signedUp] = await auditRowsFor(db, world.founder.id);
    expect(signedUp).toMatchObject({
      action: 'person.signed_up',
      actorKind: 'person',
      actorId: world.founder.id,
      after: { role: 'admin', status: 'active', why: 'first_person' },
    });
  });

  it('makes everyone after the first a user in onboarding', async () => {
    const second = await registerPerson(world.db, { email: 'second@example.test' }, noAdminEmails);
    expect(second).toMatchObject({ role: 'user', status: 'onboarding', username: null });
    const [signedUp] = await auditRowsFor(world.db, second.id);
    expect(signedUp?.after).toEqual({ role: 'user', status: 'onboarding', why: 'sign_up' });
  });

  it('makes an ADMIN_EMAILS address an active admin, whatever the case it signs in with', async () => {
    const boss = await registerPerson(
      world.db,
      { email: '  Boss@Example.TEST ' },
      { adminEmails: ['boss@example.test'] },
    );
    expect(boss).toMatchObject({ email: 'boss@example.test', role: 'admin', status: 'active' });
    const [signedUp] = await auditRowsFor(world.db, boss.id);
    expect(signedUp?.after).toMatchObject({ why: 'admin_email' });
  });
});

describe('onboarding', () => {
  it('moves onboarding → pending with the username and preferences, and creates no agent yet', async () => {
    const person = await makePerson(world.db, 'onboarding');
    const result = await callerFor(world.db, person).user.completeOnboarding({
      username: 'Ada-Lovelace',
      preferences: { displayName: 'Ada', timeZone: 'Europe/London' },
    });
    expect(result).toEqual({ status: 'pending', username: 'ada-lovelace' });
    const stored = await getPersonById(world.db, person.id);
    expect(stored).toMatchObject({ status: 'pending', username: 'ada-lovelace', role: 'user' });
    expect(stored.preferences).toEqual({ displayName: 'Ada', timeZone: 'Europe/London' });
    expect(stored.requestedAt).toBeInstanceOf(Date);
    expect(await agentRowByPerson(world.db, person.id)).toBeUndefined();
    const onboarded = (await auditRowsFor(world.db, person.id)).at(-1);
    expect(onboarded).toMatchObject({
      action: 'person.onboarded',
      before: { status: 'onboarding', username: null },
      after: { status: 'pending', username: 'ada-lovelace' },
    });
  });

  it('keeps an unnamed active admin active and gives them an agent that should run', async () => {
    const admin = await makeUnnamedAdmin(world.db);
    const jobs = recordingEnqueue();
    const result = await callerFor(world.db, admin, { enqueue: jobs.enqueue }).user.completeOnboarding({
      username: 'boss',
    });
    expect(result).toEqual({ status: 'active', username: 'boss' });
    const agent = await agentRowByPerson(world.db, admin.id);
    expect(agent).toMatchObject({ username: 'boss', desiredState: 'running', observedState: 'absent' });
    expect(jobs.calls).toEqual([
      [
        { name: 'agent.reconcile', payload: { agentId: agent?.id }, key: `agent:provision:${agent?.id}` },
        { name: 'idp.sync', payload: { personId: admin.id }, key: `idp:${admin.id}` },
      ],
    ]);
  });

  it.each<FixtureState>(['pending', 'active', 'admin', 'rejected', 'revoked'])(
    'refuses to onboard a %s person again with a CONFLICT naming their state',
    async (state) => {
      const person = await makePerson(world.db, state);
      const before = await personRow(world.db, person.id);
      const auditBefore = await auditRowsFor(world.db, person.id);
      const error = await completeOnboarding(world.db, depsFor(person), person.id, {
        username: 'fresh-name',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'CONFLICT', details: { status: person.status } });
      expect((error as AppError).message).toContain(`your account is ${person.status}`);
      expect(await personRow(world.db, person.id)).toEqual(before);
      expect(await auditRowsFor(world.db, person.id)).toEqual(auditBefore);
    },
  );

  it('refuses a username someone else holds, in any letter case, as a CONFLICT', async () => {
    await makePerson(world.db, 'pending', { username: 'taken-name' });
    const person = await makePerson(world.db, 'onboarding');
    const error = await expectTRPCError(
      callerFor(world.db, person).user.completeOnboarding({ username: 'Taken-Name' }),
      'CONFLICT',
    );
    expect(error.message).toBe('That username is taken.');
    expect(await personRow(world.db, person.id)).toMatchObject({ status: 'onboarding', username: null });
  });
});

describe('admin transitions', () => {
  it('approves pending → active and sets the agent desired state to running', async () => {
    const person = await makePerson(world.db, 'pending');
    const result = await callerFor(world.db, world.founder).admin.users.approve({ ids: [person.id] });
    expect(result.results).toEqual([{ id: person.id, ok: true, status: 'active' }]);
    expect(await getPersonById(world.db, person.id)).toMatchObject({ status: 'active' });
    const agent = await agentRowByPerson(world.db, person.id);
    expect(agent).toMatchObject({
      username: person.username,
      desiredState: 'running',
      observedState: 'absent',
    });
  });

  it('rejects pending → rejected with the reason the person will see', async () => {
    const person = await makePerson(world.db, 'pending');
    const result = await callerFor(world.db, world.founder).admin.users.reject({
      ids: [person.id],
      reason: '  Not a member of the lab.  ',
    });
    expect(result.results).toEqual([{ id: person.id, ok: true, status: 'rejected' }]);
    expect(await getPersonById(world.db, person.id)).toMatchObject({
      status: 'rejected',
      statusReason: 'Not a member of the lab.',
    });
    expect(await agentRowByPerson(world.db, person.id)).toBeUndefined();
  });

  it('revokes active → revoked: agent stopped, every session of that person ended, others kept', async () => {
    const person = await makePerson(world.db, 'active');
    const bystander = await makePerson(world.db, 'active');
    await addSession(world.db, person.id);
    await addSession(world.db, person.id);
    await addSession(world.db, bystander.id);
    const result = await callerFor(world.db, world.founder).admin.users.revoke({
      id: person.id,
      reason: 'Mining coins.',
    });
    expect(result).toEqual({ id: person.id, status: 'revoked' });
    expect(await getPersonById(world.db, person.id)).toMatchObject({
      status: 'revoked',
      statusReason: 'Mining coins.',
    });
    expect(await agentRowByPerson(world.db, person.id)).toMatchObject({ desiredState: 'stopped' });
    expect(await sessionCount(world.db, person.id)).toBe(0);
    expect(await sessionCount(world.db, bystander.id)).toBe(1);
  });

  it('restores revoked → active with the same agent set to running again and the reason cleared', async () => {
    const person = await makePerson(world.db, 'revoked');
    const agentBefore = await agentRowByPerson(world.db, person.id);
    expect(agentBefore).toMatchObject({ desiredState: 'stopped' });
    const result = await callerFor(world.db, world.founder).admin.users.restore({ id: person.id });
    expect(result).toEqual({ id: person.id, status: 'active' });
    expect(await getPersonById(world.db, person.id)).toMatchObject({ status: 'active', statusReason: null });
    const agentAfter = await agentRowByPerson(world.db, person.id);
    expect(agentAfter).toMatchObject({ id: agentBefore?.id, desiredState: 'running' });
    expect(await world.db.$count(agents, eq(agents.userId, person.id))).toBe(1);
  });

  it('lets an admin revoke another admin', async () => {
    const other = await makePerson(world.db, 'admin');
    const result = await callerFor(world.db, world.founder).admin.users.revoke({
      id: other.id,
      reason: 'Left the team.',
    });
    expect(result.status).toBe('revoked');
  });
});

/** The one state each action starts from; everything else is a CONFLICT. */
const actions = {
  approve: 'pending',
  reject: 'pending',
  revoke: 'active',
  restore: 'revoked',
} as const;
type Action = keyof typeof actions;
const allStates: FixtureState[] = ['onboarding', 'pending', 'active', 'admin', 'rejected', 'revoked'];
const illegal = (Object.keys(actions) as Action[]).flatMap((action) =>
  allStates
    .filter((state) => !(state === actions[action] || (state === 'admin' && actions[action] === 'active')))
    .map((state) => ({ action, state })),
);

describe('illegal transitions', () => {
  it('covers every action from every state it does not start from', () => {
    expect(illegal).toHaveLength(4 * 6 - 5); // 4 actions × 6 states, minus the 5 legal pairs
  });

  it.each(illegal)(
    '$action from $state is a CONFLICT that names the state and changes nothing',
    async ({ action, state }) => {
      const person = await makePerson(world.db, state);
      const rowBefore = await personRow(world.db, person.id);
      const agentBefore = await agentRowByPerson(world.db, person.id);
      const auditBefore = await auditRowsFor(world.db, person.id);
      const jobs = recordingEnqueue();
      const admin = callerFor(world.db, world.founder, { enqueue: jobs.enqueue }).admin.users;
      const label = person.username ?? person.email;
      const expectedMessage = `${label} is ${person.status}, not ${actions[action]}.`;

      if (action === 'approve' || action === 'reject') {
        const { results } =
          action === 'approve'
            ? await admin.approve({ ids: [person.id] })
            : await admin.reject({ ids: [person.id], reason: 'No.' });
        expect(results).toEqual([{ id: person.id, ok: false, code: 'CONFLICT', message: expectedMessage }]);
      } else {
        const call =
          action === 'revoke'
            ? admin.revoke({ id: person.id, reason: 'No.' })
            : admin.restore({ id: person.id });
        const error = await expectTRPCError(call, 'CONFLICT');
        expect(error.message).toBe(expectedMessage);
      }

      expect(await personRow(world.db, person.id)).toEqual(rowBefore);
      expect(await agentRowByPerson(world.db, person.id)).toEqual(agentBefore);
      expect(await auditRowsFor(world.db, person.id)).toEqual(auditBefore);
      expect(jobs.calls).toEqual([]);
    },
  );

  it('reports an unknown id as NOT_FOUND for the single-person actions', async () => {
    const admin = callerFor(world.db, world.founder).admin.users;
    await expectTRPCError(admin.revoke({ id: 'no-such-id', reason: 'x' }), 'NOT_FOUND');
    await expectTRPCError(admin.restore({ id: 'no-such-id' }), 'NOT_FOUND');
    await expectTRPCError(admin.delete({ id: 'no-such-id', confirm: 'x' }), 'NOT_FOUND');
    await expectTRPCError(admin.get({ id: 'no-such-id' }), 'NOT_FOUND');
  });
});

describe('admins acting on themselves', () => {
  it('cannot revoke themselves', async () => {
    const error = await expectTRPCError(
      callerFor(world.db, world.founder).admin.users.revoke({ id: world.founder.id, reason: 'Oops.' }),
      'FORBIDDEN',
    );
    expect(error.message).toBe('You cannot revoke your own account.');
    expect(await getPersonById(world.db, world.founder.id)).toMatchObject({ status: 'active' });
  });

  it('cannot delete themselves, even with the right confirmation', async () => {
    const error = await expectTRPCError(
      callerFor(world.db, world.founder).admin.users.delete({ id: world.founder.id, confirm: 'founder' }),
      'FORBIDDEN',
    );
    expect(error.message).toBe('You cannot delete your own account.');
    expect(await personRow(world.db, world.founder.id)).toBeDefined();
  });

  it('is refused in the domain too, not only in the router', async () => {
    await expect(revokePerson(world.db, depsFor(world.founder), world.founder.id, 'x')).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
    await expect(
      deletePerson(world.db, depsFor(world.founder), world.founder.id, 'founder'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('delete', () => {
  it.each<FixtureState>(['onboarding', 'pending', 'active', 'admin', 'rejected', 'revoked'])(
    'removes a %s person, keeps their activity log, and marks any agent absent and ownerless',
    async (state) => {
      const person = await makePerson(world.db, state);
      await addSession(world.db, person.id);
      const agentBefore = await agentRowByPerson(world.db, person.id);
      const auditBefore = await auditRowsFor(world.db, person.id);
      const jobs = recordingEnqueue();
      const confirm = person.username ?? person.email;

      const result = await callerFor(world.db, world.founder, { enqueue: jobs.enqueue }).admin.users.delete({
        id: person.id,
        confirm,
      });

      expect(result).toEqual({ id: person.id, deleted: true });
      expect(await personRow(world.db, person.id)).toBeUndefined();
      expect(await sessionCount(world.db, person.id)).toBe(0);
      const auditAfter = await auditRowsFor(world.db, person.id);
      expect(auditAfter.slice(0, -1)).toEqual(auditBefore);
      expect(auditAfter.at(-1)).toMatchObject({ action: 'person.deleted', after: null });
      // The identity provider marks the account deleted; the job carries the address to find it by.
      const idpSync = {
        name: 'idp.sync',
        payload: { personId: person.id, deleted: { email: person.email, username: person.username } },
        key: `idp:${person.id}`,
      };
      if (agentBefore) {
        const [agentAfter] = await world.db.select().from(agents).where(eq(agents.id, agentBefore.id));
        expect(agentAfter).toMatchObject({ desiredState: 'absent', userId: null, username: person.username });
        expect(jobs.calls).toEqual([
          [
            {
              name: 'agent.reconcile',
              payload: { agentId: agentBefore.id },
              key: `agent:provision:${agentBefore.id}`,
            },
            idpSync,
          ],
        ]);
      } else {
        expect(jobs.calls).toEqual([[idpSync]]);
      }
    },
  );

  it('has agents for exactly the people who were ever approved', async () => {
    const withAgent: Record<string, boolean> = {};
    for (const state of allStates) {
      const p = await makePerson(world.db, state);
      withAgent[state] = (await agentRowByPerson(world.db, p.id)) !== undefined;
    }
    expect(withAgent).toEqual({
      onboarding: false,
      pending: false,
      active: true,
      admin: true,
      rejected: false,
      revoked: true,
    });
  });

  it('requires the username typed to confirm, and changes nothing when it is wrong', async () => {
    const person = await makePerson(world.db, 'active');
    const admin = callerFor(world.db, world.founder).admin.users;
    const rowBefore = await personRow(world.db, person.id);
    const agentBefore = await agentRowByPerson(world.db, person.id);
    const auditBefore = await auditRowsFor(world.db, person.id);
    for (const confirm of ['', 'yes', person.email, `${person.username}x`, 'founder']) {
      const error = await expectTRPCError(admin.delete({ id: person.id, confirm }), 'BAD_REQUEST');
      expect(error.message).toBe(`Type “${person.username}” to confirm the deletion.`);
    }
    expect(await personRow(world.db, person.id)).toEqual(rowBefore);
    expect(await agentRowByPerson(world.db, person.id)).toEqual(agentBefore);
    expect(await auditRowsFor(world.db, person.id)).toEqual(auditBefore);
  });

  it('accepts the confirmation in another letter case or with stray spaces', async () => {
    const person = await makePerson(world.db, 'pending');
    await callerFor(world.db, world.founder).admin.users.delete({
      id: person.id,
      confirm: `  ${person.username?.toUpperCase()} `,
    });
    expect(await personRow(world.db, person.id)).toBeUndefined();
  });

  it('frees the username and email for a new sign-up', async () => {
    const person = await makePerson(world.db, 'active', { email: 'again@example.test', username: 'again' });
    await callerFor(world.db, world.founder).admin.users.delete({ id: person.id, confirm: 'again' });
    const back = await registerPerson(world.db, { email: 'again@example.test' }, noAdminEmails);
    const onboarded = await completeOnboarding(world.db, depsFor(back), back.id, { username: 'again' });
    expect(onboarded).toMatchObject({ status: 'pending', username: 'again' });
    expect(await world.db.$count(users, eq(users.email, 'again@example.test'))).toBe(1);
    // The old agent row keeps its copy of the name until the worker removes it.
    expect(await world.db.$count(agents, eq(agents.username, 'again'))).toBe(1);
  });
});
