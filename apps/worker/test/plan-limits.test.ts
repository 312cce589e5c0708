import { readFileSync } from 'node:fs';
import path from 'node:path';
import { approvePeople, type ChangeDeps, rolloutAgentsOf, startRollout } from '@pocket-smyth/core';
import { agents, plans, users } from '@pocket-smyth/db';
import { provisionAgent } from '@pocket-smyth/jobs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  adminChangeDeps,
  agentOf,
  expectTruthfulTimeline,
  pendingPerson,
  runsOf,
  stepsOf,
  waitForObserved,
} from './support';
import { startTestWorker, type TestWorker } from './test-worker';

const workerImage = 'registry.example.test/agent:worker';
const planImage = 'registry.example.test/agent:plan';
const steps = [
  'place on host',
  'run provision script',
  'wait for health',
  'update identity provider',
  'send email',
];
const mib = 1024 * 1024;

/**
 * The owner's plan sets their agent's CPUs, memory and image (docs/ARCHITECTURE.md, "Plans and
 * quotas"), through the worker as `pnpm start` builds it, the real host scripts and the fake docker
 * daemon. A plan change is what the portal does for it: the row changes, `env_changed_at` is set and a
 * provision is enqueued; that one provision recreates the container with the new limits, on the same
 * volume.
 */
describe('plan limits through the worker', () => {
  let world: TestWorker;
  let admin: ChangeDeps;

  beforeAll(async () => {
    world = await startTestWorker('plan-limits', {
      AGENT_IMAGE: workerImage,
      AGENT_CPUS: '1.5',
      AGENT_MEMORY_MB: '2048',
    });
    await world.app.db.insert(plans).values([
      { id: 'plan-a', name: 'Small', cpus: 1, memoryMb: 512 },
      { id: 'plan-b', name: 'Large', cpus: 2.25, memoryMb: 1024 },
      { id: 'plan-c', name: 'Memory only', memoryMb: 768, agentImage: planImage },
    ]);
    admin = await adminChangeDeps(world.app.db, world.enqueue);
  });
  afterAll(async () => {
    await world?.stop();
  });

  /** Approves a person on `planId` and waits until their agent runs. */
  async function runningAgentOn(username: string, planId: string) {
    const { app } = world;
    const personId = await pendingPerson(app.db, username);
    await app.db.update(users).set({ planId }).where(eq(users.id, personId));
    await approvePeople(app.db, admin, [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'running');
    return { personId, agent };
  }

  /** What the portal does when a person's plan changes under a running agent. */
  async function provisionForPlanChange(agentId: string) {
    await world.app.db.update(agents).set({ envChangedAt: new Date() }).where(eq(agents.id, agentId));
    await world.enqueue([provisionAgent(agentId)]);
  }

  const volumeFile = (name: string) =>
    JSON.parse(readFileSync(path.join(world.fake.dir, 'volumes', `${name}.json`), 'utf8')) as {
      CreatedAt: string;
    };

  it('provisions on the plan limits, and a plan change provisions once more with the new ones on the same volume', async () => {
    const { app, fake } = world;
    const { personId, agent } = await runningAgentOn('plana', 'plan-a');
    const first = fake.container('ps-agent-plana')!;
    expect(first.HostConfig).toMatchObject({ NanoCpus: 1e9, Memory: 512 * mib, MemorySwap: 512 * mib });
    expect(first.Config.Image).toBe(workerImage);
    expect(first.Mounts.map((m) => m.Name)).toEqual(['ps-agent-plana-data']);
    const volumeBefore = volumeFile('ps-agent-plana-data');
    const [firstRun] = await runsOf(app.db, agent.id);
    const firstScript = (await stepsOf(app.db, firstRun!.id))[1]!;
    expect(firstScript.outputTail).toContain(
      '1 CPUs, 512 MB: the plan "Small" for the CPUs, the plan "Small" for the memory',
    );

    // The person moves to the large plan.
    fake.clearCalls();
    await app.db.update(users).set({ planId: 'plan-b' }).where(eq(users.id, personId));
    await provisionForPlanChange(agent.id);
    await vi.waitFor(
      async () => {
        const all = await runsOf(app.db, agent.id);
        expect(all).toHaveLength(2);
        expect(all[1]).toMatchObject({ kind: 'provision', status: 'succeeded' });
      },
      { timeout: 30_000, interval: 100 },
    );
    await waitForObserved(app.db, agent.id, 'running');
    const second = (await runsOf(app.db, agent.id))[1]!;
    const secondSteps = await stepsOf(app.db, second.id);
    expectTruthfulTimeline(secondSteps, steps);
    // New limits may not hold the agent (a lowered memory): health is polled, not taken from the script.
    expect(secondSteps[2]!.outputTail).not.toContain('as the provision script saw it');
    expect(secondSteps[2]!.outputTail).toContain('"agents":[');
    expect(secondSteps[1]!.outputTail).toContain(
      '2.25 CPUs, 1024 MB: the plan "Large" for the CPUs, the plan "Large" for the memory',
    );

    // The old container was removed and a new one made with the new limits, mounting the same volume.
    const commands = fake.calls().map((call) => call.argv);
    const runCalls = commands.filter((argv) => argv[0] === 'run');
    expect(runCalls).toHaveLength(1);
    expect(runCalls[0]).toEqual(
      expect.arrayContaining(['--cpus', '2.25', '--memory', '1024m', '--memory-swap', '1024m']),
    );
    expect(commands.some((argv) => argv[0] === 'rm' && argv.includes('ps-agent-plana'))).toBe(true);
    expect(commands.some((argv) => argv[0] === 'volume')).toBe(false);
    const recreated = fake.container('ps-agent-plana')!;
    expect(recreated.Id).not.toBe(first.Id);
    expect(recreated.HostConfig).toMatchObject({
      NanoCpus: 2.25e9,
      Memory: 1024 * mib,
      MemorySwap: 1024 * mib,
    });
    expect(recreated.Mounts.map((m) => m.Name)).toEqual(['ps-agent-plana-data']);
    expect(volumeFile('ps-agent-plana-data')).toEqual(volumeBefore);
    expect((await agentOf(app.db, personId))?.envChangedAt).toBeNull();

    // Editing the plan itself: its people's agents take the new limits the same way.
    fake.clearCalls();
    await app.db.update(plans).set({ cpus: 0.5, memoryMb: 256 }).where(eq(plans.id, 'plan-b'));
    await provisionForPlanChange(agent.id);
    await vi.waitFor(
      async () => {
        const all = await runsOf(app.db, agent.id);
        expect(all).toHaveLength(3);
        expect(all[2]).toMatchObject({ kind: 'provision', status: 'succeeded' });
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(fake.container('ps-agent-plana')!.HostConfig).toMatchObject({
      NanoCpus: 0.5e9,
      Memory: 256 * mib,
    });
    expect(volumeFile('ps-agent-plana-data')).toEqual(volumeBefore);

    // A provision with nothing changed leaves the container as it is.
    const unchanged = fake.container('ps-agent-plana')!.Id;
    fake.clearCalls();
    await world.enqueue([provisionAgent(agent.id)]);
    await vi.waitFor(async () => expect(await runsOf(app.db, agent.id)).toHaveLength(4), {
      timeout: 30_000,
      interval: 100,
    });
    await vi.waitFor(async () => expect((await runsOf(app.db, agent.id))[3]?.status).toBe('succeeded'), {
      timeout: 30_000,
      interval: 100,
    });
    expect(fake.calls().some((call) => call.argv[0] === 'run' || call.argv[0] === 'rm')).toBe(false);
    const quiet = (await runsOf(app.db, agent.id))[3]!;
    expect((await stepsOf(app.db, quiet.id))[2]!.outputTail).toContain('as the provision script saw it');
    expect(fake.container('ps-agent-plana')!.Id).toBe(unchanged);
  }, 90_000);

  it("a plan's unset limit is the worker's; its image comes before the default, after the person's own", async () => {
    const { app, fake } = world;
    const { personId, agent } = await runningAgentOn('planc', 'plan-c');
    const container = fake.container('ps-agent-planc')!;
    expect(container.HostConfig).toMatchObject({ NanoCpus: 1.5e9, Memory: 768 * mib });
    expect(container.Config.Image).toBe(planImage);
    expect((await agentOf(app.db, personId))?.runningImage).toBe(planImage);
    const [run] = await runsOf(app.db, agent.id);
    expect((await stepsOf(app.db, run!.id))[1]!.outputTail).toContain(
      `image ${planImage}: the image of the plan "Memory only"\n1.5 CPUs, 768 MB: the worker's AGENT_CPUS for the CPUs, the plan "Memory only" for the memory`,
    );

    // A rollout of the default passes it by, as it does an agent with an override.
    const plain = await runningAgentOn('plaind', 'plan-a');
    const rollout = await startRollout(app.db, admin, {
      image: 'registry.example.test/agent:next',
      batchSize: 5,
      failureThresholdPercent: 50,
    });
    const members = (await rolloutAgentsOf(app.db, rollout.id)).map((m) => m.username);
    expect(members).toContain('plaind');
    expect(members).not.toContain('planc');
    await vi.waitFor(
      async () =>
        expect((await agentOf(app.db, plain.personId))?.runningImage).toBe(
          'registry.example.test/agent:next',
        ),
      { timeout: 30_000, interval: 100 },
    );
    expect(fake.container('ps-agent-planc')!.Config.Image).toBe(planImage);

    // The person's own image wins over the plan's.
    await app.db
      .update(agents)
      .set({ imageOverride: 'registry.example.test/agent:own' })
      .where(eq(agents.id, agent.id));
    await provisionForPlanChange(agent.id);
    await vi.waitFor(
      async () =>
        expect(fake.container('ps-agent-planc')?.Config.Image).toBe('registry.example.test/agent:own'),
      { timeout: 30_000, interval: 100 },
    );
  }, 90_000);
});
