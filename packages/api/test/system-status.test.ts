/**
 * system.status, the admin overview in one call: the counts, and the agents that need an admin because
 * their newest run failed for good. Runs are rows the worker writes (packages/jobs RunRecorder); here they
 * are written as it leaves them, with the states around them made through the real lifecycle.
 */

import { failingAgents, systemStatus } from '@pocket-smyth/core';
import { agents, hosts, runSteps, runs, timeOrderedId } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentRowByPerson, callerFor, createWorld, makePerson, type World } from './helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

type RunInsert = typeof runs.$inferInsert;

let clock = Date.UTC(2026, 10, 1, 9);
/** A run of `agentId` as the worker leaves it; each one later than the last. `failedStep` gets a failed step. */
async function recordRun(
  agentId: string,
  username: string,
  status: RunInsert['status'],
  opts: { failedStep?: string; endedAt?: Date; kind?: RunInsert['kind'] } = {},
): Promise<string> {
  clock += 60_000;
  const id = timeOrderedId(clock);
  const failed = status === 'failed';
  await world.db.insert(runs).values({
    id,
    agentId,
    username,
    kind: opts.kind ?? 'provision',
    status,
    errorClass: failed ? 'host_unreachable' : null,
    errorMessage: failed ? 'connect ECONNREFUSED 10.0.0.7:22' : null,
    createdAt: new Date(clock),
    startedAt: new Date(clock),
    endedAt: status === 'running' ? null : (opts.endedAt ?? new Date(clock + 1_000)),
  });
  await world.db.insert(runSteps).values([
    { runId: id, position: 0, name: 'place on host', status: 'succeeded' },
    {
      runId: id,
      position: 1,
      name: opts.failedStep ?? 'run provision script',
      status: failed && opts.failedStep ? 'failed' : failed ? 'queued' : 'succeeded',
      errorClass: failed && opts.failedStep ? 'host_unreachable' : null,
    },
  ]);
  return id;
}

async function activeAgent(): Promise<{ personId: string; agentId: string; username: string }> {
  const person = await makePerson(world.db, 'active');
  const agent = await agentRowByPerson(world.db, person.id);
  if (!agent || !person.username) throw new Error('approval made no agent');
  return { personId: person.id, agentId: agent.id, username: person.username };
}

describe('failing agents on the admin overview', () => {
  it('lists an agent whose newest run failed, with the failed step, and only while nothing came after it', async () => {
    const failing = await activeAgent();
    const failedRun = await recordRun(failing.agentId, failing.username, 'failed', {
      failedStep: 'run provision script',
    });

    // Failed once, then a later run succeeded: history, not a task.
    const healed = await activeAgent();
    await recordRun(healed.agentId, healed.username, 'failed', { failedStep: 'wait for health' });
    await recordRun(healed.agentId, healed.username, 'succeeded');

    // Failed, and its retry is running now: not waiting for anyone.
    const retrying = await activeAgent();
    await recordRun(retrying.agentId, retrying.username, 'failed', { failedStep: 'wait for health' });
    await recordRun(retrying.agentId, retrying.username, 'running');

    // A failure of an agent whose row is gone: nothing left to retry.
    await recordRun('agent-long-gone', 'gone', 'failed', { failedStep: 'remove agent' });

    const { items, total } = await failingAgents(world.db);
    expect(total).toBe(1);
    expect(items).toEqual([
      {
        runId: failedRun,
        agentId: failing.agentId,
        personId: failing.personId,
        username: failing.username,
        kind: 'provision',
        step: 'run provision script',
        errorClass: 'host_unreachable',
        errorMessage: 'connect ECONNREFUSED 10.0.0.7:22',
        attempt: 1,
        failedAt: expect.any(Date),
      },
    ]);

    // The admin's retry succeeds: the agent leaves the list.
    await recordRun(failing.agentId, failing.username, 'succeeded');
    expect(await failingAgents(world.db)).toEqual({ items: [], total: 0 });
  });

  it('keeps a deleted person’s failed removal, without a person to link to; a failure between steps has no step', async () => {
    const orphan = await activeAgent();
    // The person is deleted (agents.user_id is SET NULL) and the removal failed between steps.
    await world.db
      .update(agents)
      .set({ userId: null, desiredState: 'absent' })
      .where(eq(agents.id, orphan.agentId));
    await recordRun(orphan.agentId, orphan.username, 'failed', { kind: 'deprovision' });
    const { items } = await failingAgents(world.db);
    expect(items[0]).toMatchObject({
      agentId: orphan.agentId,
      personId: null,
      kind: 'deprovision',
      step: null,
    });
    await recordRun(orphan.agentId, orphan.username, 'succeeded', { kind: 'deprovision' });
  });

  it('shows the newest failures first and counts every one beyond the ten listed', async () => {
    const failed: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { agentId, username } = await activeAgent();
      failed.push(await recordRun(agentId, username, 'failed', { failedStep: 'wait for health' }));
    }
    const { items, total } = await failingAgents(world.db);
    expect(total).toBe(12);
    expect(items.map((i) => i.runId)).toEqual(failed.slice(-10).reverse());
  });

  it('reaches admins through system.status, beside the failed-run count of the last day', async () => {
    const admin = await makePerson(world.db, 'admin');
    const status = await callerFor(world.db, admin).system.status();
    expect(status.failingAgents.total).toBe(12);
    expect(status.failingAgents.items).toHaveLength(10);
    expect(status.failingAgents.items[0]).toMatchObject({ step: 'wait for health', kind: 'provision' });

    // Every failed run of the last day counts, superseded or not (17 were recorded above); a day on, none.
    expect((await systemStatus(world.db, new Date(clock + 60_000))).failedRunsLastDay).toBe(17);
    expect((await systemStatus(world.db, new Date(clock + 86_400_000 + 120_000))).failedRunsLastDay).toBe(0);
  });
});

describe('hosts on the admin overview', () => {
  it('counts every agent placed on each host, as placement does (one being removed still holds it)', async () => {
    const [host] = await world.db
      .insert(hosts)
      .values({ name: 'count-me', transport: 'local', capacity: 5 })
      .returning({ id: hosts.id });
    const placed = await activeAgent();
    const removed = await activeAgent();
    await world.db.update(agents).set({ hostId: host!.id }).where(eq(agents.id, placed.agentId));
    await world.db
      .update(agents)
      .set({ hostId: host!.id, desiredState: 'absent' })
      .where(eq(agents.id, removed.agentId));
    const status = await systemStatus(world.db);
    expect(status.hosts.find((h) => h.id === host!.id)).toMatchObject({
      name: 'count-me',
      agents: 2,
      capacity: 5,
    });
  });
});

describe('host capacity used on the admin overview', () => {
  it('counts the agents of active hosts against active hosts’ capacity; a draining host counts in neither', async () => {
    const before = (await systemStatus(world.db)).capacity;
    const [active, draining] = await world.db
      .insert(hosts)
      .values([
        { name: 'cap-active', transport: 'local', capacity: 4 },
        { name: 'cap-draining', transport: 'local', capacity: 6, status: 'draining' },
      ])
      .returning({ id: hosts.id });
    const onActive = await activeAgent();
    await world.db.update(agents).set({ hostId: active!.id }).where(eq(agents.id, onActive.agentId));
    for (let i = 0; i < 3; i++) {
      const onDraining = await activeAgent();
      await world.db.update(agents).set({ hostId: draining!.id }).where(eq(agents.id, onDraining.agentId));
    }
    const after = (await systemStatus(world.db)).capacity;
    // One more agent on 4 more places: the draining host's three agents and six places are not in it.
    expect(after).toEqual({ used: before.used + 1, total: before.total + 4 });

    const admin = await makePerson(world.db, 'admin');
    expect((await callerFor(world.db, admin).system.status()).capacity).toEqual(after);
  });
});
