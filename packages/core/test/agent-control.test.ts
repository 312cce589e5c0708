/**
 * Start, stop and restart (agent-control.ts): the portal writes the desired state or a restart request
 * with its audit event and enqueues the agent's job after the commit; wrong states are CONFLICTs that
 * say why, and an admin's command on many agents answers per agent.
 */
import { agentSamples, agents, auditEvents } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import type { JobRequest } from '@pocket-smyth/jobs/contract';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AgentRow,
  approvePeople,
  type ChangeDeps,
  commandAgent,
  commandAgents,
  completeOnboarding,
  deletePerson,
  listAgentsForAdmin,
  type Person,
  registerPerson,
  revokePerson,
} from '../src/index';

let handle: Awaited<ReturnType<typeof createTestDb>>;
let admin: Person;
let deps: ChangeDeps;
let enqueued: JobRequest[];

async function personWithAgent(name: string): Promise<{ person: Person; agent: AgentRow }> {
  const person = await registerPerson(handle.db, { email: `${name}@example.com` }, { adminEmails: [] });
  await completeOnboarding(handle.db, deps, person.id, { username: name });
  await approvePeople(handle.db, deps, [person.id]);
  const [agent] = await handle.db.select().from(agents).where(eq(agents.userId, person.id));
  return { person, agent: agent! };
}

async function observe(agentId: string, observedState: AgentRow['observedState']) {
  await handle.db.update(agents).set({ observedState }).where(eq(agents.id, agentId));
}

async function agentRow(agentId: string) {
  const [row] = await handle.db.select().from(agents).where(eq(agents.id, agentId));
  return row!;
}

beforeEach(async () => {
  handle = await createTestDb();
  admin = await registerPerson(handle.db, { email: 'root@example.com' }, { adminEmails: [] });
  enqueued = [];
  deps = {
    actor: { kind: 'person', id: admin.id, label: admin.email, personId: admin.id },
    requestId: 'req-control',
    ip: null,
    enqueue: async (jobs) => {
      enqueued.push(...jobs);
    },
  };
});
afterEach(() => handle.cleanup());

describe('commandAgent', () => {
  it('stop then start write the desired state, audit it and enqueue the agent’s reconcile', async () => {
    const { person, agent } = await personWithAgent('ada');
    await observe(agent.id, 'running');
    enqueued = [];

    const stopped = await commandAgent(handle.db, deps, { personId: person.id }, 'stop');
    expect(stopped).toMatchObject({ changed: true, agent: { desiredState: 'stopped' } });
    expect((await agentRow(agent.id)).desiredState).toBe('stopped');
    expect(enqueued.map((j) => [j.name, j.payload])).toEqual([
      [
        'agent.reconcile',
        { agentId: agent.id, requestedBy: { kind: 'person', id: admin.id, label: admin.email } },
      ],
    ]);

    // Asked again while it is stopping or stopped: nothing new.
    enqueued = [];
    expect((await commandAgent(handle.db, deps, { personId: person.id }, 'stop')).changed).toBe(false);
    expect(enqueued).toEqual([]);

    await observe(agent.id, 'stopped');
    const started = await commandAgent(handle.db, deps, { agentId: agent.id }, 'start');
    expect(started).toMatchObject({ changed: true, agent: { desiredState: 'running' } });
    expect(enqueued.map((j) => j.name)).toEqual(['agent.reconcile']);

    const events = await handle.db
      .select({ action: auditEvents.action, before: auditEvents.before, after: auditEvents.after })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, agent.id));
    expect(events).toEqual([
      {
        action: 'agent.stop_requested',
        before: { desiredState: 'running', observedState: 'running' },
        after: { desiredState: 'stopped' },
      },
      {
        action: 'agent.start_requested',
        before: { desiredState: 'stopped', observedState: 'stopped' },
        after: { desiredState: 'running' },
      },
    ]);
  });

  it('restart: of a running agent a restart job; of a stopped one a start; otherwise a CONFLICT that says why', async () => {
    const { person, agent } = await personWithAgent('ada');
    await observe(agent.id, 'provisioning');
    await expect(commandAgent(handle.db, deps, { personId: person.id }, 'restart')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Your agent is provisioning; try again once that is done.',
    });
    await expect(commandAgent(handle.db, deps, { agentId: agent.id }, 'start')).rejects.toMatchObject({
      message: 'ada’s agent is provisioning; try again once that is done.',
    });

    await observe(agent.id, 'running');
    enqueued = [];
    const restarted = await commandAgent(handle.db, deps, { personId: person.id }, 'restart');
    expect(restarted.agent.restartRequestedAt).toBeInstanceOf(Date);
    expect(enqueued.map((j) => j.name)).toEqual(['agent.restart']);

    await commandAgent(handle.db, deps, { personId: person.id }, 'stop');
    await observe(agent.id, 'stopped');
    enqueued = [];
    const fromStopped = await commandAgent(handle.db, deps, { personId: person.id }, 'restart');
    expect(fromStopped.agent.desiredState).toBe('running');
    expect(enqueued.map((j) => j.name)).toEqual(['agent.reconcile']);
  });

  it('after a failed run the same command tries again', async () => {
    const { person, agent } = await personWithAgent('ada');
    await observe(agent.id, 'failed');
    enqueued = [];
    expect((await commandAgent(handle.db, deps, { personId: person.id }, 'start')).changed).toBe(true);
    expect(enqueued.map((j) => j.name)).toEqual(['agent.reconcile']);
  });

  it('a revoked person’s agent can be stopped but not started; a deleted one’s neither', async () => {
    const { person, agent } = await personWithAgent('ada');
    await observe(agent.id, 'stopped');
    await revokePerson(handle.db, deps, person.id, 'x');
    await expect(commandAgent(handle.db, deps, { agentId: agent.id }, 'start')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'ada is revoked; restore them before starting their agent.',
    });
    expect((await commandAgent(handle.db, deps, { agentId: agent.id }, 'stop')).changed).toBe(false);

    await deletePerson(handle.db, deps, person.id, 'ada');
    await expect(commandAgent(handle.db, deps, { agentId: agent.id }, 'stop')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'ada’s agent is being removed.',
    });
    await expect(commandAgent(handle.db, deps, { agentId: 'nope' }, 'stop')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('commandAgents', () => {
  it('answers per agent, so one in the wrong state does not hold up the rest', async () => {
    const a = await personWithAgent('ada');
    const b = await personWithAgent('bob');
    await observe(a.agent.id, 'running');
    await observe(b.agent.id, 'provisioning');
    const outcomes = await commandAgents(
      handle.db,
      deps,
      [a.agent.id, b.agent.id, 'nope', a.agent.id],
      'restart',
    );
    expect(outcomes).toEqual([
      { id: a.agent.id, ok: true, desiredState: 'running', changed: true },
      {
        id: b.agent.id,
        ok: false,
        code: 'CONFLICT',
        message: 'bob’s agent is provisioning; try again once that is done.',
      },
      { id: 'nope', ok: false, code: 'NOT_FOUND', message: expect.any(String) },
    ]);
  });
});

describe('listAgentsForAdmin', () => {
  it('filters by state and text, and says what each agent is doing', async () => {
    const a = await personWithAgent('ada');
    const b = await personWithAgent('bob');
    await observe(a.agent.id, 'running');
    const all = await listAgentsForAdmin(handle.db);
    expect(all.map((r) => [r.username, r.email, r.desiredState, r.observedState])).toEqual([
      ['ada', 'ada@example.com', 'running', 'running'],
      ['bob', 'bob@example.com', 'running', 'absent'],
    ]);
    expect((await listAgentsForAdmin(handle.db, { drifted: true })).map((r) => r.username)).toEqual(['bob']);
    expect((await listAgentsForAdmin(handle.db, { q: 'ada@' })).map((r) => r.username)).toEqual(['ada']);
    // LIKE's wildcards are matched as themselves.
    expect(await listAgentsForAdmin(handle.db, { q: '%' })).toEqual([]);
    expect(
      (await listAgentsForAdmin(handle.db, { observedState: 'running' })).map((r) => r.username),
    ).toEqual(['ada']);
    // CPU and memory from the newest sample, while running; sorting by a reading puts agents without one last.
    const at = new Date();
    await handle.db.insert(agentSamples).values([
      {
        agentId: a.agent.id,
        at: new Date(at.getTime() - 15_000),
        cpuPercent: 90,
        memoryBytes: 1,
        observedState: 'running',
      },
      { agentId: a.agent.id, at, cpuPercent: 12.5, memoryBytes: 2048, observedState: 'running' },
      { agentId: b.agent.id, at, cpuPercent: 50, memoryBytes: 4096, observedState: 'running' },
    ]);
    const byCpu = await listAgentsForAdmin(handle.db, { sort: 'cpu' });
    expect(byCpu.map((r) => [r.username, r.now?.cpuPercent ?? null, r.now?.memoryBytes ?? null])).toEqual([
      ['ada', 12.5, 2048],
      // bob is not running: his sample says nothing about now.
      ['bob', null, null],
    ]);
    for (const sort of ['memory', 'observed_since'] as const) {
      expect(await listAgentsForAdmin(handle.db, { sort })).toHaveLength(2);
    }
    expect(b.agent.username).toBe('bob');
  });
});
