/**
 * docs/ARCHITECTURE.md, "Commit, then enqueue": commit the state first, then enqueue
 * `agent:provision:{agentId}` (and the person's `idp.sync`). A failed enqueue is healed by the
 * reconciler, so it must never undo or fail the change it follows.
 */

import type { Enqueue, JobRequest, Person } from '@pocket-smyth/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  agentRowByPerson,
  auditRowsFor,
  callerFor,
  createWorld,
  type FixtureState,
  makePerson,
  makeUnnamedAdmin,
  personRow,
  recordingEnqueue,
  type World,
} from './helpers';

// One database per file; every test makes its own people, so tests do not see each other's changes.
let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());
afterEach(() => {
  vi.restoreAllMocks();
});

type AdminUsers = ReturnType<typeof callerFor>['admin']['users'];

const agentChanges: {
  name: string;
  from: FixtureState;
  desired: 'running' | 'stopped' | 'absent';
  action: string;
  run: (admin: AdminUsers, p: Person) => Promise<unknown>;
}[] = [
  {
    name: 'approve',
    from: 'pending',
    desired: 'running',
    action: 'person.approved',
    run: (a, p) => a.approve({ ids: [p.id] }),
  },
  {
    name: 'revoke',
    from: 'active',
    desired: 'stopped',
    action: 'person.revoked',
    run: (a, p) => a.revoke({ id: p.id, reason: 'x' }),
  },
  {
    name: 'restore',
    from: 'revoked',
    desired: 'running',
    action: 'person.restored',
    run: (a, p) => a.restore({ id: p.id }),
  },
  {
    name: 'delete',
    from: 'active',
    desired: 'absent',
    action: 'person.deleted',
    run: (a, p) => a.delete({ id: p.id, confirm: p.username ?? '' }),
  },
];

/** The person's status sync that follows every change of their status. */
function idpSync(person: Person, deleted = false): JobRequest {
  return {
    name: 'idp.sync',
    payload: deleted
      ? { personId: person.id, deleted: { email: person.email, username: person.username } }
      : { personId: person.id },
    key: `idp:${person.id}`,
  };
}

function expectAgentJob(calls: JobRequest[][], agentId: string | undefined, sync: JobRequest): void {
  expect(agentId).toBeDefined();
  expect(calls).toEqual([
    [{ name: 'agent.reconcile', payload: { agentId }, key: `agent:provision:${agentId}` }, sync],
  ]);
}

describe('the enqueue hook', () => {
  it.each(agentChanges)('$name enqueues the agent job once, after the change is committed', async (spec) => {
    const person = await makePerson(world.db, spec.from);
    // Read through the client's other connections while enqueue runs: only committed data is visible there.
    const seenAtEnqueue: { desired: string | undefined; audited: boolean }[] = [];
    const jobs = recordingEnqueue();
    const enqueue: Enqueue = async (requested) => {
      const agentId = (requested[0]?.payload as { agentId?: string } | undefined)?.agentId;
      const agents = await world.db.query.agents.findFirst({
        where: (a, { eq }) => eq(a.id, String(agentId)),
      });
      const audit = await auditRowsFor(world.db, person.id);
      seenAtEnqueue.push({
        desired: agents?.desiredState,
        audited: audit.some((r) => r.action === spec.action),
      });
      await jobs.enqueue(requested);
    };
    const agentBefore = await agentRowByPerson(world.db, person.id);

    await spec.run(callerFor(world.db, world.founder, { enqueue }).admin.users, person);

    const agentId = agentBefore?.id ?? (await agentRowByPerson(world.db, person.id))?.id;
    expectAgentJob(jobs.calls, agentId, idpSync(person, spec.name === 'delete'));
    expect(seenAtEnqueue).toEqual([{ desired: spec.desired, audited: true }]);
  });

  it('enqueues only the status sync for a rejection, which has no agent', async () => {
    const person = await makePerson(world.db, 'pending');
    const jobs = recordingEnqueue();
    await callerFor(world.db, world.founder, { enqueue: jobs.enqueue }).admin.users.reject({
      ids: [person.id],
      reason: 'No.',
    });
    expect(jobs.calls).toEqual([[idpSync(person)]]);
  });

  it('enqueues only the status sync when onboarding makes someone pending', async () => {
    const person = await makePerson(world.db, 'onboarding');
    const jobs = recordingEnqueue();
    await callerFor(world.db, person, { enqueue: jobs.enqueue }).user.completeOnboarding({
      username: 'waiting',
    });
    expect(jobs.calls).toEqual([[idpSync(person)]]);
  });

  it('enqueues the new agent when an unnamed admin picks a username', async () => {
    const admin = await makeUnnamedAdmin(world.db);
    const jobs = recordingEnqueue();
    await callerFor(world.db, admin, { enqueue: jobs.enqueue }).user.completeOnboarding({
      username: 'chief',
    });
    expectAgentJob(jobs.calls, (await agentRowByPerson(world.db, admin.id))?.id, idpSync(admin));
  });

  it('enqueues one job per approved person in a bulk approval, and none for the refused ones', async () => {
    const a = await makePerson(world.db, 'pending');
    const b = await makePerson(world.db, 'pending');
    const active = await makePerson(world.db, 'active');
    const jobs = recordingEnqueue();
    await callerFor(world.db, world.founder, { enqueue: jobs.enqueue }).admin.users.approve({
      ids: [a.id, active.id, b.id],
    });
    const keys = jobs.calls.flat().map((j) => j.key);
    const agentA = await agentRowByPerson(world.db, a.id);
    const agentB = await agentRowByPerson(world.db, b.id);
    expect(keys).toEqual([
      `agent:provision:${agentA?.id}`,
      `idp:${a.id}`,
      `agent:provision:${agentB?.id}`,
      `idp:${b.id}`,
    ]);
  });
});

const failingEnqueues: { name: string; enqueue: Enqueue }[] = [
  { name: 'rejects', enqueue: async () => Promise.reject(new Error('queue database is down')) },
  {
    name: 'throws synchronously',
    enqueue: () => {
      throw new Error('queue client not configured');
    },
  },
];

describe('an enqueue that fails', () => {
  it.each(agentChanges.flatMap((change) => failingEnqueues.map((failure) => ({ change, failure }))))(
    'does not undo $change.name when enqueue $failure.name',
    async ({ change, failure }) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const person = await makePerson(world.db, change.from);
      const agentBefore = await agentRowByPerson(world.db, person.id);

      await change.run(callerFor(world.db, world.founder, { enqueue: failure.enqueue }).admin.users, person);

      const agentId = agentBefore?.id ?? (await agentRowByPerson(world.db, person.id))?.id;
      const agentAfter = await world.db.query.agents.findFirst({
        where: (a, { eq }) => eq(a.id, String(agentId)),
      });
      expect(agentAfter?.desiredState).toBe(change.desired);
      const row = await personRow(world.db, person.id);
      if (change.name === 'delete') expect(row).toBeUndefined();
      else expect(row?.status).toBe(change.name === 'revoke' ? 'revoked' : 'active');
      expect((await auditRowsFor(world.db, person.id)).map((r) => r.action)).toContain(change.action);
      // The lost job is logged for operators; the reconciler re-enqueues it.
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain('the reconciler will retry');
    },
  );
});
