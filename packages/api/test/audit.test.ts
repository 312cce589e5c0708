/**
 * The activity log: one row per admin action with who, what, before/after, request id and ip; and a
 * change and its row commit together or not at all.
 */

import type { Person } from '@pocket-smyth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addSession,
  agentRowByPerson,
  auditCount,
  auditRowsFor,
  callerFor,
  createWorld,
  expectTRPCError,
  type FixtureState,
  makePerson,
  personRow,
  recordingEnqueue,
  sessionCount,
  type World,
} from './helpers';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.cleanup());

const requestMeta = { requestId: 'req-audit-1', ip: '198.51.100.23' };

interface AdminAction {
  name: string;
  action: string;
  from: FixtureState;
  to: Person['status'] | null;
  run: (admin: ReturnType<typeof callerFor>['admin']['users'], target: Person) => Promise<unknown>;
  reason: string | null;
  /** What the action records in `after` besides the person's snapshot. */
  alsoAfter?: Record<string, unknown>;
}

const adminActions: AdminAction[] = [
  {
    name: 'approve',
    action: 'person.approved',
    from: 'pending',
    to: 'active',
    reason: null,
    run: (admin, t) => admin.approve({ ids: [t.id] }),
  },
  {
    name: 'reject',
    action: 'person.rejected',
    from: 'pending',
    to: 'rejected',
    reason: 'Unknown to us.',
    run: (admin, t) => admin.reject({ ids: [t.id], reason: 'Unknown to us.' }),
  },
  {
    name: 'revoke',
    action: 'person.revoked',
    from: 'active',
    to: 'revoked',
    reason: 'Abuse.',
    // Revoking revokes the person's API tokens too; the fixture has none.
    alsoAfter: { tokensRevoked: 0 },
    run: (admin, t) => admin.revoke({ id: t.id, reason: 'Abuse.' }),
  },
  {
    name: 'restore',
    action: 'person.restored',
    from: 'revoked',
    to: 'active',
    reason: null,
    run: (admin, t) => admin.restore({ id: t.id }),
  },
  {
    name: 'delete',
    action: 'person.deleted',
    from: 'active',
    to: null,
    reason: null,
    run: (admin, t) => admin.delete({ id: t.id, confirm: t.username ?? t.email }),
  },
];

describe('an audit row for every admin action', () => {
  it.each(adminActions)('$name records actor, target, before/after, request id and ip', async (spec) => {
    const target = await makePerson(world.db, spec.from);
    const auditBefore = await auditRowsFor(world.db, target.id);
    const startedAt = Date.now();

    await spec.run(callerFor(world.db, world.founder, requestMeta).admin.users, target);

    const auditAfter = await auditRowsFor(world.db, target.id);
    expect(auditAfter).toHaveLength(auditBefore.length + 1);
    const row = auditAfter.at(-1);
    expect(row).toMatchObject({
      actorKind: 'person',
      actorId: world.founder.id,
      actorLabel: 'founder@example.test',
      action: spec.action,
      targetKind: 'person',
      targetId: target.id,
      targetLabel: target.username,
      before: {
        status: target.status,
        role: target.role,
        username: target.username,
        statusReason: target.statusReason,
      },
      requestId: 'req-audit-1',
      ip: '198.51.100.23',
    });
    expect(row?.after).toEqual(
      spec.to === null
        ? null
        : {
            status: spec.to,
            role: target.role,
            username: target.username,
            statusReason: spec.reason,
            ...spec.alsoAfter,
          },
    );
    expect(row?.at.getTime()).toBeGreaterThanOrEqual(startedAt - 1);
    expect(row?.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('keeps the email of a deleted person in the before snapshot, since the row is gone', async () => {
    const target = await makePerson(world.db, 'pending');
    await callerFor(world.db, world.founder).admin.users.delete({
      id: target.id,
      confirm: target.username ?? '',
    });
    expect((await auditRowsFor(world.db, target.id)).at(-1)?.before).toMatchObject({ email: target.email });
  });

  it('records onboarding and preference changes against the person who made them', async () => {
    const person = await makePerson(world.db, 'onboarding');
    const caller = callerFor(world.db, person, requestMeta).user;
    await caller.completeOnboarding({ username: 'self-made' });
    await caller.updatePreferences({ emailNotifications: false });
    const [, onboarded, preferences] = await auditRowsFor(world.db, person.id);
    for (const row of [onboarded, preferences]) {
      expect(row).toMatchObject({
        actorKind: 'person',
        actorId: person.id,
        actorLabel: person.email,
        requestId: 'req-audit-1',
        ip: '198.51.100.23',
      });
    }
    expect(onboarded?.action).toBe('person.onboarded');
    expect(preferences).toMatchObject({
      action: 'person.preferences_updated',
      before: { preferences: {} },
      after: { preferences: { emailNotifications: false } },
    });
  });

  it('writes one row per person changed in a bulk approval, all with the same request id', async () => {
    const a = await makePerson(world.db, 'pending');
    const b = await makePerson(world.db, 'pending');
    await callerFor(world.db, world.founder, requestMeta).admin.users.approve({ ids: [a.id, b.id] });
    for (const p of [a, b]) {
      const approvals = (await auditRowsFor(world.db, p.id)).filter((r) => r.action === 'person.approved');
      expect(approvals).toHaveLength(1);
      expect(approvals[0]?.requestId).toBe('req-audit-1');
    }
  });
});

/** Makes every audit insert fail, the way a full disk or a broken log table would. */
async function breakTheActivityLog(w: World, onlyForTarget?: string): Promise<void> {
  const when = onlyForTarget ? `WHEN NEW.target_id = '${onlyForTarget}'` : '';
  await w.handle.client.execute(
    `CREATE TRIGGER audit_unavailable BEFORE INSERT ON audit_events ${when}
     BEGIN SELECT RAISE(ABORT, 'activity log unavailable'); END`,
  );
}

describe('a change and its audit row commit together', () => {
  it.each(adminActions)('$name leaves nothing behind when its audit row cannot be written', async (spec) => {
    const target = await makePerson(world.db, spec.from);
    await addSession(world.db, target.id);
    const rowBefore = await personRow(world.db, target.id);
    const agentBefore = await agentRowByPerson(world.db, target.id);
    const auditBefore = await auditCount(world.db);
    const jobs = recordingEnqueue();
    await breakTheActivityLog(world);

    await expectTRPCError(
      spec.run(callerFor(world.db, world.founder, { enqueue: jobs.enqueue }).admin.users, target),
      'INTERNAL_SERVER_ERROR',
    );

    expect(await personRow(world.db, target.id)).toEqual(rowBefore);
    expect(await agentRowByPerson(world.db, target.id)).toEqual(agentBefore);
    expect(await sessionCount(world.db, target.id)).toBe(1);
    expect(await auditCount(world.db)).toBe(auditBefore);
    expect(jobs.calls).toEqual([]);
  });

  it('onboarding leaves the person unnamed when its audit row cannot be written', async () => {
    const person = await makePerson(world.db, 'onboarding');
    const rowBefore = await personRow(world.db, person.id);
    await breakTheActivityLog(world);
    await expectTRPCError(
      callerFor(world.db, person).user.completeOnboarding({ username: 'half-done' }),
      'INTERNAL_SERVER_ERROR',
    );
    expect(await personRow(world.db, person.id)).toEqual(rowBefore);
  });

  it('a bulk approval commits a group together: a failure rolls the group back whole, jobs and all', async () => {
    const first = await makePerson(world.db, 'pending');
    const second = await makePerson(world.db, 'pending');
    const third = await makePerson(world.db, 'pending');
    await breakTheActivityLog(world, second.id);
    const jobs = recordingEnqueue();

    await expectTRPCError(
      callerFor(world.db, world.founder, { enqueue: jobs.enqueue }).admin.users.approve({
        ids: [first.id, second.id, third.id],
      }),
      'INTERNAL_SERVER_ERROR',
    );

    // The three share a transaction (people-lifecycle.ts, transitionMany): none is half-approved, no
    // job was enqueued for a change that did not commit, and all can be approved again.
    for (const p of [first, second, third]) {
      expect(await personRow(world.db, p.id)).toMatchObject({ status: 'pending' });
      expect(await agentRowByPerson(world.db, p.id)).toBeUndefined();
      expect((await auditRowsFor(world.db, p.id)).map((a) => a.action)).not.toContain('person.approved');
    }
    expect(jobs.calls).toEqual([]);
  });
});
