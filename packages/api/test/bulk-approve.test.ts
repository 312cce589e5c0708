/**
 * Bulk approve/reject over a mixed selection: one result per unique id, in the order given, and only
 * the pending people change.
 */

import type { Person } from '@pocket-smyth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentRowByPerson,
  auditRowsFor,
  callerFor,
  createWorld,
  makePerson,
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

interface Mix {
  pendingA: Person;
  pendingB: Person;
  active: Person;
  rejected: Person;
  onboarding: Person;
  revoked: Person;
}

async function makeMix(): Promise<Mix> {
  return {
    pendingA: await makePerson(world.db, 'pending'),
    pendingB: await makePerson(world.db, 'pending'),
    active: await makePerson(world.db, 'active'),
    rejected: await makePerson(world.db, 'rejected'),
    onboarding: await makePerson(world.db, 'onboarding'),
    revoked: await makePerson(world.db, 'revoked'),
  };
}

describe('bulk approve', () => {
  it('gives one result per unique id and changes only the pending people', async () => {
    const mix = await makeMix();
    const rowsBefore = new Map<string, unknown>();
    for (const p of Object.values(mix)) rowsBefore.set(p.id, await personRow(world.db, p.id));
    const jobs = recordingEnqueue();

    const { results } = await callerFor(world.db, world.founder, {
      enqueue: jobs.enqueue,
    }).admin.users.approve({
      ids: [
        mix.pendingA.id,
        mix.active.id,
        'no-such-person',
        mix.rejected.id,
        mix.pendingA.id, // duplicate
        mix.onboarding.id,
        world.founder.id, // the admin themselves, already active
        mix.revoked.id,
        mix.pendingB.id,
        'no-such-person', // duplicate unknown
      ],
    });

    expect(results).toEqual([
      { id: mix.pendingA.id, ok: true, status: 'active' },
      {
        id: mix.active.id,
        ok: false,
        code: 'CONFLICT',
        message: `${mix.active.username} is active, not pending.`,
      },
      { id: 'no-such-person', ok: false, code: 'NOT_FOUND', message: 'Person not found' },
      {
        id: mix.rejected.id,
        ok: false,
        code: 'CONFLICT',
        message: `${mix.rejected.username} is rejected, not pending.`,
      },
      {
        id: mix.onboarding.id,
        ok: false,
        code: 'CONFLICT',
        // No username yet, so the message names them by email.
        message: `${mix.onboarding.email} is onboarding, not pending.`,
      },
      { id: world.founder.id, ok: false, code: 'CONFLICT', message: 'founder is active, not pending.' },
      {
        id: mix.revoked.id,
        ok: false,
        code: 'CONFLICT',
        message: `${mix.revoked.username} is revoked, not pending.`,
      },
      { id: mix.pendingB.id, ok: true, status: 'active' },
    ]);

    for (const p of [mix.pendingA, mix.pendingB]) {
      expect(await personRow(world.db, p.id)).toMatchObject({ status: 'active' });
      expect(await agentRowByPerson(world.db, p.id)).toMatchObject({ desiredState: 'running' });
      const approvals = (await auditRowsFor(world.db, p.id)).filter((r) => r.action === 'person.approved');
      expect(approvals).toHaveLength(1);
    }
    for (const p of [mix.active, mix.rejected, mix.onboarding, mix.revoked]) {
      expect(await personRow(world.db, p.id)).toEqual(rowsBefore.get(p.id));
    }
    const approvedAgents = await Promise.all(
      [mix.pendingA, mix.pendingB].map((p) => agentRowByPerson(world.db, p.id)),
    );
    expect(jobs.calls.flat().map((j) => j.key)).toEqual(
      approvedAgents.flatMap((a) => [`agent:provision:${a?.id}`, `idp:${a?.userId}`]),
    );
  });

  it('approving the same pending person twice in one call approves them once', async () => {
    const person = await makePerson(world.db, 'pending');
    const { results } = await callerFor(world.db, world.founder).admin.users.approve({
      ids: [person.id, person.id, person.id],
    });
    expect(results).toEqual([{ id: person.id, ok: true, status: 'active' }]);
  });

  it('approves hundreds in one call, a group of 200 to a transaction, each group’s jobs in one batch', async () => {
    const people = [];
    for (let i = 0; i < 450; i++) people.push(await makePerson(world.db, 'pending'));
    const stranger = await makePerson(world.db, 'active');
    const jobs = recordingEnqueue();
    // One refusal in the middle of a group changes nothing for the others in it.
    const ids = [
      ...people.slice(0, 300).map((p) => p.id),
      stranger.id,
      ...people.slice(300).map((p) => p.id),
    ];
    const { results } = await callerFor(world.db, world.founder, {
      enqueue: jobs.enqueue,
    }).admin.users.approve({
      ids,
    });
    expect(results).toHaveLength(451);
    expect(results.filter((r) => r.ok)).toHaveLength(450);
    expect(results[300]).toMatchObject({ id: stranger.id, ok: false, code: 'CONFLICT' });
    for (const p of [people[0]!, people[299]!, people[449]!]) {
      expect(await personRow(world.db, p.id)).toMatchObject({ status: 'active' });
      expect(await agentRowByPerson(world.db, p.id)).toMatchObject({ desiredState: 'running' });
      expect((await auditRowsFor(world.db, p.id)).map((a) => a.action)).toContain('person.approved');
    }
    // 451 ids: groups of 200, 200 and 51, each enqueued once after it committed.
    expect(jobs.calls).toHaveLength(3);
    const reconciles = jobs.calls.flat().filter((j) => j.name === 'agent.reconcile');
    expect(reconciles).toHaveLength(450);
  });

  it('refuses an empty selection and one larger than 1,000 ids as BAD_REQUEST', async () => {
    const admin = callerFor(world.db, world.founder).admin.users;
    await expect(admin.approve({ ids: [] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const many = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
    await expect(admin.approve({ ids: many })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('bulk reject', () => {
  it('rejects only the pending people, with the reason, and reports the rest', async () => {
    const mix = await makeMix();
    const { results } = await callerFor(world.db, world.founder).admin.users.reject({
      ids: [mix.pendingA.id, mix.active.id, mix.pendingB.id, 'no-such-person'],
      reason: 'Course is full.',
    });
    expect(results).toEqual([
      { id: mix.pendingA.id, ok: true, status: 'rejected' },
      {
        id: mix.active.id,
        ok: false,
        code: 'CONFLICT',
        message: `${mix.active.username} is active, not pending.`,
      },
      { id: mix.pendingB.id, ok: true, status: 'rejected' },
      { id: 'no-such-person', ok: false, code: 'NOT_FOUND', message: 'Person not found' },
    ]);
    for (const p of [mix.pendingA, mix.pendingB]) {
      expect(await personRow(world.db, p.id)).toMatchObject({
        status: 'rejected',
        statusReason: 'Course is full.',
      });
    }
  });

  it('refuses a blank reason', async () => {
    const person = await makePerson(world.db, 'pending');
    await expect(
      callerFor(world.db, world.founder).admin.users.reject({ ids: [person.id], reason: '   ' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await personRow(world.db, person.id)).toMatchObject({ status: 'pending' });
  });
});

describe('two admins deciding the same person at the same moment', () => {
  it('lets exactly one decision win; the other sees the state it lost to', async () => {
    const second = await makePerson(world.db, 'admin');
    const person = await makePerson(world.db, 'pending');
    const [approved, rejected] = await Promise.all([
      callerFor(world.db, world.founder).admin.users.approve({ ids: [person.id] }),
      callerFor(world.db, second).admin.users.reject({ ids: [person.id], reason: 'Too late.' }),
    ]);
    const outcomes = [approved.results[0], rejected.results[0]];
    expect(outcomes.filter((r) => r?.ok)).toHaveLength(1);
    const loser = outcomes.find((r) => !r?.ok);
    expect(loser).toMatchObject({ ok: false, code: 'CONFLICT' });
    const row = await personRow(world.db, person.id);
    expect(loser && !loser.ok && loser.message).toContain(`is ${row?.status}, not pending`);
    const decisions = (await auditRowsFor(world.db, person.id)).filter(
      (e) => e.action === 'person.approved' || e.action === 'person.rejected',
    );
    expect(decisions).toHaveLength(1);
  });
});
