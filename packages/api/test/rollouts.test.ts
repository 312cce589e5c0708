/**
 * docs/ARCHITECTURE.md, "Images and rollouts", at the procedure level on a real libSQL file: the default
 * image and a person's image, validated at the edge, audited with their change, and the rollout's
 * admin acts (start, pause, resume, roll back) with the jobs that follow each commit. The worker side
 * (batches, health, the threshold, the rollback's provisions) is apps/worker/test/rollout.test.ts.
 */

import { agents, auditEvents, portalSettings, rolloutAgents } from '@pocket-smyth/db';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createWorld, expectTRPCError, makePerson, recordingEnqueue, type World } from './helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

const auditActions = async (actions: string[]) =>
  (
    await world.db
      .select({ action: auditEvents.action, after: auditEvents.after })
      .from(auditEvents)
      .where(inArray(auditEvents.action, actions))
      .orderBy(asc(auditEvents.id))
  ).map((row) => row.action);

describe('images and rollouts through the procedures', () => {
  it('the default image: validated like the host script, audited, cleared with null', async () => {
    const admin = callerFor(world.db, await makePerson(world.db, 'admin'));
    expect(await admin.admin.settings.image.get()).toEqual({ image: null, updatedAt: null });
    for (const bad of ['-v/etc:/x', 'has space', 'a;rm', '', 'x'.repeat(256)]) {
      await expectTRPCError(admin.admin.settings.image.set({ image: bad }), 'BAD_REQUEST');
    }
    const set = await admin.admin.settings.image.set({ image: 'registry.example.test/agent:7' });
    expect(set.image).toBe('registry.example.test/agent:7');
    expect(typeof set.updatedAt).toBe('string');
    expect(await auditActions(['settings.agent_image_changed'])).toEqual(['settings.agent_image_changed']);
    // The same value again changes nothing and records nothing.
    await admin.admin.settings.image.set({ image: 'registry.example.test/agent:7' });
    expect(await auditActions(['settings.agent_image_changed'])).toHaveLength(1);
    expect(await admin.admin.settings.image.set({ image: null })).toEqual({ image: null, updatedAt: null });
    expect(await world.db.select().from(portalSettings)).toEqual([]);
  });

  it("a person's image: a running agent is provisioned again at once, in a run of its own", async () => {
    const { enqueue, calls } = recordingEnqueue();
    const admin = callerFor(world.db, await makePerson(world.db, 'admin'), { enqueue });
    const person = await makePerson(world.db, 'active');
    const result = await admin.admin.users.setImage({ id: person.id, image: 'registry.example.test/own:1' });
    expect(result).toMatchObject({ imageOverride: 'registry.example.test/own:1', reprovisioning: true });
    expect(calls).toEqual([
      [
        {
          name: 'agent.provision',
          key: `agent:provision:${result.agentId}`,
          payload: expect.objectContaining({ agentId: result.agentId, newRun: true }),
        },
      ],
    ]);
    const { agent } = await admin.admin.users.get({ id: person.id });
    expect(agent).toMatchObject({ imageOverride: 'registry.example.test/own:1', runningImage: null });
    // Cleared: follows the default again.
    expect(await admin.admin.users.setImage({ id: person.id, image: null })).toMatchObject({
      imageOverride: null,
    });
    await expectTRPCError(
      admin.admin.users.setImage({ id: person.id, image: '--privileged' }),
      'BAD_REQUEST',
    );
  });

  it('start takes the running agents without an image of their own; pause, resume, rollback; one at a time', async () => {
    const { enqueue, calls } = recordingEnqueue();
    const admin = callerFor(world.db, await makePerson(world.db, 'admin'), { enqueue });
    const running = [await makePerson(world.db, 'active'), await makePerson(world.db, 'active')];
    const own = await makePerson(world.db, 'active');
    const stopped = await makePerson(world.db, 'active');
    await world.db
      .update(agents)
      .set({ observedState: 'running', runningImage: 'registry.example.test/agent:1' })
      .where(
        inArray(
          agents.userId,
          [...running, own].map((p) => p.id),
        ),
      );
    await world.db
      .update(agents)
      .set({ imageOverride: 'registry.example.test/own:1' })
      .where(eq(agents.userId, own.id));
    await world.db
      .update(agents)
      .set({ desiredState: 'stopped', observedState: 'stopped' })
      .where(eq(agents.userId, stopped.id));

    await expectTRPCError(admin.admin.rollouts.start({ image: 'ok:1', batchSize: 0 }), 'BAD_REQUEST');
    await expectTRPCError(
      admin.admin.rollouts.start({ image: 'ok:1', failureThresholdPercent: 101 }),
      'BAD_REQUEST',
    );
    const started = await admin.admin.rollouts.start({
      image: 'registry.example.test/agent:2',
      batchSize: 1,
    });
    expect(started).toMatchObject({
      status: 'running',
      fromImage: null,
      toImage: 'registry.example.test/agent:2',
      batchSize: 1,
      failureThresholdPercent: 10,
      total: 2,
      counts: { pending: 2 },
    });
    expect(calls.at(-1)).toEqual([
      { name: 'rollout.advance', key: `rollout:${started.id}`, payload: { rolloutId: started.id } },
    ]);
    const detail = await admin.admin.rollouts.get({ id: started.id });
    expect(detail.agents.map((a) => [a.username, a.previousImage, a.status])).toEqual(
      running
        .map((p) => p.username)
        .sort()
        .map((username) => [username, 'registry.example.test/agent:1', 'pending']),
    );
    expect(await admin.admin.settings.image.get()).toMatchObject({ image: 'registry.example.test/agent:2' });

    // While it moves agents, nobody changes the default or starts another.
    await expectTRPCError(admin.admin.settings.image.set({ image: 'other:1' }), 'CONFLICT');
    await expectTRPCError(admin.admin.rollouts.start({ image: 'other:1' }), 'CONFLICT');
    await expectTRPCError(admin.admin.rollouts.resume({ id: started.id }), 'CONFLICT');

    expect((await admin.admin.rollouts.pause({ id: started.id })).status).toBe('paused');
    expect((await admin.admin.rollouts.resume({ id: started.id })).status).toBe('running');
    expect(calls.at(-1)).toEqual([
      { name: 'rollout.advance', key: `rollout:${started.id}`, payload: { rolloutId: started.id } },
    ]);

    // The worker moved the first agent and the second failed; the rollback puts both back, failed first.
    const [first, second] = detail.agents;
    await world.db
      .update(rolloutAgents)
      .set({ status: 'succeeded' })
      .where(and(eq(rolloutAgents.rolloutId, started.id), eq(rolloutAgents.agentId, first!.agentId)));
    await world.db
      .update(rolloutAgents)
      .set({ status: 'failed' })
      .where(and(eq(rolloutAgents.rolloutId, started.id), eq(rolloutAgents.agentId, second!.agentId)));
    const back = await admin.admin.rollouts.rollback({ id: started.id });
    expect(back).toMatchObject({ status: 'rolling_back', counts: { rolling_back: 2 } });
    expect(
      calls.at(-1)?.map((job) => [job.name, 'agentId' in job.payload ? job.payload.agentId : null]),
    ).toEqual([
      ['agent.provision', second!.agentId],
      ['agent.provision', first!.agentId],
      ['rollout.advance', null],
    ]);
    expect(await admin.admin.settings.image.get()).toEqual({ image: null, updatedAt: null });
    await expectTRPCError(admin.admin.rollouts.rollback({ id: started.id }), 'CONFLICT');

    const listed = await admin.admin.rollouts.list();
    expect(listed[0]).toMatchObject({ id: started.id, status: 'rolling_back', total: 2 });
    expect(
      await auditActions(['rollout.started', 'rollout.paused', 'rollout.resumed', 'rollout.rolled_back']),
    ).toEqual(['rollout.started', 'rollout.paused', 'rollout.resumed', 'rollout.rolled_back']);
  });
});
