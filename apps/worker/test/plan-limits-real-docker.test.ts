import { approvePeople } from '@pocket-smyth/core';
import { agents, plans, users } from '@pocket-smyth/db';
import {
  buildSampleAgentImage,
  type RealDocker,
  skipWithoutRealDocker,
  startRealDocker,
} from '@pocket-smyth/hosts/testing';
import { provisionAgent } from '@pocket-smyth/jobs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminChangeDeps, agentOf, pendingPerson, runsOf, waitForObserved } from './support';
import { startTestWorker, type TestWorker } from './test-worker';

/**
 * A plan change on a real Docker engine (a private dockerd, packages/hosts' real-docker.ts): the
 * container the worker makes has the plan's CPUs and memory as the daemon itself reports them
 * (HostConfig.NanoCpus, HostConfig.Memory), and after the plan changes, the one provision it takes gives
 * the container the new ones while the file the agent wrote in its volume is still there.
 * plan-limits.test.ts covers the same with the fake docker daemon, and the image precedence.
 */
const skip = skipWithoutRealDocker('plan-limits-real-docker');
const mib = 1024 * 1024;

describe.skipIf(skip)('plan limits on a real Docker engine', () => {
  let docker: RealDocker;
  let world: TestWorker;

  beforeAll(async () => {
    docker = await startRealDocker({ network: 'ps-plan-agents' });
    const image = await buildSampleAgentImage(docker);
    world = await startTestWorker('plan-limits-docker', {
      HOST_SCRIPT_ENV: JSON.stringify(docker.env),
      AGENT_IMAGE: image,
      AGENT_CPUS: '0.5',
      AGENT_MEMORY_MB: '128',
      AGENT_HEALTH_CHECKS: '5',
    });
    await world.app.db.insert(plans).values([
      { id: 'plan-a', name: 'Small', cpus: 1, memoryMb: 512 },
      { id: 'plan-b', name: 'Smaller', cpus: 0.25, memoryMb: 192 },
    ]);
  }, 240_000);
  afterAll(async () => {
    await world?.stop();
    await docker?.stop();
  }, 60_000);

  const limitsOf = async () => {
    const [nanoCpus, memory, memorySwap] = (
      await docker.docker([
        'inspect',
        '--type',
        'container',
        '--format',
        '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}',
        'ps-agent-realplan',
      ])
    )
      .trim()
      .split(' ')
      .map(Number);
    return { nanoCpus, memory, memorySwap };
  };
  /** Runs node inside the agent's container (the image has no shell). */
  const nodeIn = (code: string) =>
    docker.docker(['exec', 'ps-agent-realplan', '/usr/local/bin/node', '-e', code]);

  it('the container has the plan limits, and a plan change gives it the new ones with its data kept', async () => {
    const { app, enqueue } = world;
    const personId = await pendingPerson(app.db, 'realplan');
    await app.db.update(users).set({ planId: 'plan-a' }).where(eq(users.id, personId));
    await approvePeople(app.db, await adminChangeDeps(app.db, enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'running', 90_000);
    expect(await limitsOf()).toEqual({ nanoCpus: 1e9, memory: 512 * mib, memorySwap: 512 * mib });
    await nodeIn(
      "const fs=require('fs');fs.mkdirSync('/a0/usr/work',{recursive:true});fs.writeFileSync('/a0/usr/work/notes.md','# kept')",
    );

    // What the portal does when the person's plan changes under the running agent.
    await app.db.update(users).set({ planId: 'plan-b' }).where(eq(users.id, personId));
    await app.db.update(agents).set({ envChangedAt: new Date() }).where(eq(agents.id, agent.id));
    await enqueue([provisionAgent(agent.id)]);
    await vi.waitFor(
      async () => {
        const all = await runsOf(app.db, agent.id);
        expect(all.map((run) => [run.kind, run.status])).toEqual([
          ['provision', 'succeeded'],
          ['provision', 'succeeded'],
        ]);
      },
      { timeout: 90_000, interval: 250 },
    );
    await waitForObserved(app.db, agent.id, 'running', 90_000);
    expect(await limitsOf()).toEqual({ nanoCpus: 0.25e9, memory: 192 * mib, memorySwap: 192 * mib });
    expect(
      await nodeIn("process.stdout.write(require('fs').readFileSync('/a0/usr/work/notes.md','utf8'))"),
    ).toBe('# kept');
  }, 240_000);
});
