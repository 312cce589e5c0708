/**
 * Plans (plans.ts): the Standard default every person gets, admin edits audited with before and after,
 * validation against the largest host, archive refused while in use, bulk assignment with a result per
 * id, and what a change does to the agents concerned (a provision with the new limits, a forbidden
 * public URL turned off).
 */
import { agentRunningIntervals, agents, auditEvents, hosts, plans, users } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import type { JobRequest } from '@pocket-smyth/jobs/contract';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AgentRow,
  approvePeople,
  assignPlan,
  type ChangeDeps,
  completeOnboarding,
  createPlan,
  getPlan,
  listPlans,
  type Person,
  planOfPerson,
  registerPerson,
  setAgentPublic,
  updatePlan,
} from '../src/index';

let handle: Awaited<ReturnType<typeof createTestDb>>;
let admin: Person;
let deps: ChangeDeps;
let enqueued: JobRequest[];

const noLimits = {
  description: '',
  cpus: null,
  memoryMb: null,
  publicUrlAllowed: true,
  apiRequestsPerMinute: null,
  monthlyAgentHours: null,
  monthlyApiCalls: null,
  maxApiTokens: null,
  agentImage: null,
};

async function personWithAgent(name: string): Promise<{ person: Person; agent: AgentRow }> {
  const person = await registerPerson(handle.db, { email: `${name}@example.com` }, { adminEmails: [] });
  await completeOnboarding(handle.db, deps, person.id, { username: name });
  await approvePeople(handle.db, deps, [person.id]);
  const [agent] = await handle.db.select().from(agents).where(eq(agents.userId, person.id));
  return { person, agent: agent! };
}

async function agentRow(agentId: string) {
  const [row] = await handle.db.select().from(agents).where(eq(agents.id, agentId));
  return row!;
}

async function auditOf(action: string) {
  return handle.db.select().from(auditEvents).where(eq(auditEvents.action, action));
}

async function expectAppError(promise: Promise<unknown>, code: string, message: RegExp) {
  await expect(promise).rejects.toMatchObject({
    name: 'AppError',
    code,
    message: expect.stringMatching(message),
  });
}

beforeEach(async () => {
  handle = await createTestDb();
  admin = await registerPerson(handle.db, { email: 'root@example.com' }, { adminEmails: [] });
  enqueued = [];
  deps = {
    actor: { kind: 'person', id: admin.id, label: admin.email, personId: admin.id },
    requestId: 'req-plans',
    ip: null,
    enqueue: async (jobs) => {
      enqueued.push(...jobs);
    },
  };
});
afterEach(() => handle.cleanup());

describe('the default plan', () => {
  it('a fresh install has one, Standard, with no limits, and every new person is on it', async () => {
    const all = await listPlans(handle.db);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: 'standard',
      name: 'Standard',
      isDefault: true,
      ...noLimits,
      description: expect.any(String),
      people: 1,
    });
    expect(all[0]!.description).not.toBe('');
    const { person } = await personWithAgent('ada');
    expect((await planOfPerson(handle.db, person.id)).id).toBe('standard');
  });

  it('a new default takes over for people who sign up after it; those before keep theirs', async () => {
    const before = await registerPerson(handle.db, { email: 'early@example.com' }, { adminEmails: [] });
    const trial = await createPlan(handle.db, deps, { ...noLimits, name: 'Trial', monthlyAgentHours: 20 });
    const updated = await updatePlan(handle.db, deps, trial.id, { isDefault: true });
    expect(updated.isDefault).toBe(true);
    expect((await getPlan(handle.db, 'standard')).isDefault).toBe(false);
    const after = await registerPerson(handle.db, { email: 'late@example.com' }, { adminEmails: [] });
    expect((await planOfPerson(handle.db, after.id)).name).toBe('Trial');
    expect((await planOfPerson(handle.db, before.id)).name).toBe('Standard');
    const [event] = await auditOf('plan.updated');
    expect(event).toMatchObject({ before: { isDefault: false }, after: { isDefault: true } });
  });
});

describe('createPlan and updatePlan', () => {
  it('names are unique whatever their case: 409', async () => {
    await expectAppError(
      createPlan(handle.db, deps, { ...noLimits, name: 'STANDARD' }),
      'CONFLICT',
      /A plan named “Standard” already exists/,
    );
  });

  it('CPU and memory must fit the largest active host, named in the 400', async () => {
    await handle.db.insert(hosts).values([
      {
        name: 'small',
        transport: 'local',
        lastStats: {
          cpuPercent: 1,
          cpuCount: 2,
          memoryUsedBytes: 0,
          memoryTotalBytes: 2048 * 1024 ** 2,
          diskUsedBytes: 0,
          diskTotalBytes: 1,
        },
      },
      {
        name: 'big',
        transport: 'local',
        lastStats: {
          cpuPercent: 1,
          cpuCount: 8,
          memoryUsedBytes: 0,
          memoryTotalBytes: 16384 * 1024 ** 2,
          diskUsedBytes: 0,
          diskTotalBytes: 1,
        },
      },
      {
        // Draining hosts take no new agents, so they do not count.
        name: 'huge-draining',
        transport: 'local',
        status: 'draining',
        lastStats: {
          cpuPercent: 1,
          cpuCount: 64,
          memoryUsedBytes: 0,
          memoryTotalBytes: 999999 * 1024 ** 2,
          diskUsedBytes: 0,
          diskTotalBytes: 1,
        },
      },
    ]);
    await expectAppError(
      createPlan(handle.db, deps, { ...noLimits, name: 'Big CPU', cpus: 12 }),
      'BAD_REQUEST',
      /largest active host, big, has \(8 CPUs\)/,
    );
    await expectAppError(
      updatePlan(handle.db, deps, 'standard', { memoryMb: 20000 }),
      'BAD_REQUEST',
      /largest active host, big, has \(16384 MB\)/,
    );
    const fits = await createPlan(handle.db, deps, { ...noLimits, name: 'Fits', cpus: 8, memoryMb: 16384 });
    expect(fits).toMatchObject({ cpus: 8, memoryMb: 16384, people: 0 });
    expect(await auditOf('plan.created')).toHaveLength(1);
  });

  it('an edit is audited with only what changed, before and after', async () => {
    await updatePlan(handle.db, deps, 'standard', {
      monthlyAgentHours: 100,
      description: 'Now with a quota',
    });
    const [event] = await auditOf('plan.updated');
    expect(event!.before).toEqual({ monthlyAgentHours: null, description: expect.any(String) });
    expect(event!.after).toEqual({ monthlyAgentHours: 100, description: 'Now with a quota' });
    // The same figures again change nothing and say nothing.
    await updatePlan(handle.db, deps, 'standard', { monthlyAgentHours: 100 });
    expect(await auditOf('plan.updated')).toHaveLength(1);
  });

  it('new limits provision the running agents on the plan again, once each; stopped ones wait', async () => {
    const { agent: running } = await personWithAgent('ada');
    const { person: idle, agent: stopped } = await personWithAgent('bob');
    await handle.db.update(agents).set({ desiredState: 'stopped' }).where(eq(agents.userId, idle.id));
    enqueued = [];
    await updatePlan(handle.db, deps, 'standard', { cpus: 0.5, memoryMb: 512 });
    const provisions = enqueued.filter((j) => j.name === 'agent.provision');
    expect(provisions.map((j) => (j.payload as { agentId: string }).agentId)).toEqual([running.id]);
    expect((await agentRow(running.id)).envChangedAt).toBeInstanceOf(Date);
    expect((await agentRow(stopped.id)).envChangedAt).toBeNull();
    // A change that does not touch the limits (a quota) provisions nothing.
    enqueued = [];
    await updatePlan(handle.db, deps, 'standard', { monthlyApiCalls: 1000 });
    expect(enqueued.filter((j) => j.name === 'agent.provision')).toEqual([]);
  });
});

describe('archive', () => {
  it('refuses the default, and a plan anyone is on with how many; archives an empty one', async () => {
    await expectAppError(
      updatePlan(handle.db, deps, 'standard', { archived: true }),
      'CONFLICT',
      /default plan cannot be archived/,
    );
    const pro = await createPlan(handle.db, deps, { ...noLimits, name: 'Pro' });
    const { person: ada } = await personWithAgent('ada');
    const { person: bob } = await personWithAgent('bob');
    await assignPlan(handle.db, deps, [ada.id, bob.id], pro.id);
    await expectAppError(
      updatePlan(handle.db, deps, pro.id, { archived: true }),
      'CONFLICT',
      /2 people are on “Pro”/,
    );
    await assignPlan(handle.db, deps, [ada.id, bob.id], 'standard');
    const archived = await updatePlan(handle.db, deps, pro.id, { archived: true });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect((await listPlans(handle.db)).map((p) => p.name)).toEqual(['Standard']);
    expect((await listPlans(handle.db, { includeArchived: true })).map((p) => p.name)).toEqual([
      'Standard',
      'Pro',
    ]);
    await expectAppError(assignPlan(handle.db, deps, [ada.id], pro.id), 'CONFLICT', /archived/);
  });
});

describe('assignPlan', () => {
  it('answers per id, audits each move, and provisions a running agent whose limits change', async () => {
    const { person: ada, agent } = await personWithAgent('ada');
    const small = await createPlan(handle.db, deps, {
      ...noLimits,
      name: 'Small',
      cpus: 0.25,
      memoryMb: 256,
    });
    enqueued = [];
    const results = await assignPlan(handle.db, deps, [ada.id, 'no-such-person', ada.id], small.id);
    expect(results).toEqual([
      { id: ada.id, ok: true, status: 'active' },
      { id: 'no-such-person', ok: false, code: 'NOT_FOUND', message: 'Person not found' },
    ]);
    const [moved] = await auditOf('person.plan_changed');
    expect(moved).toMatchObject({
      targetId: ada.id,
      before: { planId: 'standard', plan: 'Standard' },
      after: { planId: small.id, plan: 'Small' },
    });
    expect(enqueued.filter((j) => j.name === 'agent.provision')).toHaveLength(1);
    expect((await agentRow(agent.id)).envChangedAt).toBeInstanceOf(Date);
    // Assigning the plan a person is already on changes nothing.
    enqueued = [];
    await assignPlan(handle.db, deps, [ada.id], small.id);
    expect(enqueued).toEqual([]);
    expect(await auditOf('person.plan_changed')).toHaveLength(1);
    await expectAppError(
      assignPlan(handle.db, deps, [ada.id], 'no-such-plan'),
      'NOT_FOUND',
      /Plan not found/,
    );
  });
});

describe('the agent-hours quota', () => {
  it('a new figure applies at once: a plan under the hours used stops the agent, a raised one starts it again', async () => {
    const { person, agent } = await personWithAgent('ada');
    // Five hours of running this month (an hour ago to now would be less: the stretch is closed).
    const now = Date.now();
    await handle.db.insert(agentRunningIntervals).values({
      agentId: agent.id,
      userId: person.id,
      startedAt: new Date(
        Math.max(
          now - 5 * 3_600_000,
          Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1),
        ),
      ),
      endedAt: new Date(now - 1_000),
      closedAt: new Date(now - 1_000),
    });
    const tight = await createPlan(handle.db, deps, { ...noLimits, name: 'Tight', monthlyAgentHours: 0 });
    await assignPlan(handle.db, deps, [person.id], tight.id);
    expect((await agentRow(agent.id)).desiredState).toBe('stopped');
    expect(await auditOf('agent.quota_stopped')).toHaveLength(1);
    await updatePlan(handle.db, deps, tight.id, { monthlyAgentHours: 1000 });
    expect((await agentRow(agent.id)).desiredState).toBe('running');
    expect(await auditOf('agent.quota_restarted')).toHaveLength(1);
  });
});

describe('public URL', () => {
  it('turning it on under a plan that forbids it is a 409 with the reason', async () => {
    const { person } = await personWithAgent('ada');
    const closed = await createPlan(handle.db, deps, {
      ...noLimits,
      name: 'Private',
      publicUrlAllowed: false,
    });
    await assignPlan(handle.db, deps, [person.id], closed.id);
    await expectAppError(
      setAgentPublic(handle.db, deps, person.id, true),
      'CONFLICT',
      /plan, “Private”, does not allow a public URL/,
    );
    // Turning it off is always allowed.
    await expect(setAgentPublic(handle.db, deps, person.id, false)).resolves.toMatchObject({
      publicUrlEnabled: false,
    });
  });

  it('a plan change that forbids it turns it off at once, audited with the reason', async () => {
    const { person, agent } = await personWithAgent('ada');
    await setAgentPublic(handle.db, deps, person.id, true);
    expect((await agentRow(agent.id)).publicUrlEnabled).toBe(true);
    await updatePlan(handle.db, deps, 'standard', { publicUrlAllowed: false });
    expect((await agentRow(agent.id)).publicUrlEnabled).toBe(false);
    const disabled = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'agent.public_disabled'), eq(auditEvents.targetId, agent.id)));
    expect(disabled).toHaveLength(1);
    expect(disabled[0]!.after).toMatchObject({
      publicUrlEnabled: false,
      reason: expect.stringMatching(/Standard/),
    });
  });
});

it('the plan column is filled for people made before plans existed (migration) and by the trigger', async () => {
  const rows = await handle.db.select({ planId: users.planId }).from(users);
  expect(rows.every((r) => r.planId === 'standard')).toBe(true);
  const [std] = await handle.db.select().from(plans).where(eq(plans.id, 'standard'));
  expect(std?.isDefault).toBe(true);
});
