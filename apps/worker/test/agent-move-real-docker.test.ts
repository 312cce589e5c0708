import { moveAgent } from '@pocket-smyth/core';
import { agents } from '@pocket-smyth/db';
import {
  buildSampleAgentImage,
  type RealDocker,
  skipWithoutRealDocker,
  startRealDocker,
} from '@pocket-smyth/hosts/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MoveWorld, moveSteps, startMoveWorld } from './move-world';
import { agentById, expectTruthfulTimeline, latestRun, stepsOf } from './support';

/**
 * A move with the docker runtime between two real Docker engines (two private dockerd, two "hosts"),
 * run by the real worker: the volume's files leave one engine and arrive in the other, the container
 * there runs the sample agent image, and the source has neither container nor volume left.
 */
const skip = skipWithoutRealDocker('agent-move-real-docker');

describe.skipIf(skip)('moving an agent between two Docker engines', () => {
  let engines: [RealDocker, RealDocker];
  let world: MoveWorld<'east' | 'west'>;

  beforeAll(async () => {
    engines = (await Promise.all([startRealDocker(), startRealDocker()])) as [RealDocker, RealDocker];
    const [image] = await Promise.all(engines.map((engine) => buildSampleAgentImage(engine)));
    world = await startMoveWorld(
      'agent-move-docker',
      { east: engines[0].env, west: engines[1].env },
      {
        agentImage: image,
      },
    );
  }, 180_000);
  afterAll(async () => {
    await world?.stop(['otto']);
    await Promise.all((engines ?? []).map((engine) => engine.stop()));
  }, 120_000);

  /** Runs node inside the agent's container (the image has no shell). */
  const nodeIn = (engine: RealDocker, code: string) =>
    engine.docker(['exec', 'ps-agent-otto', '/usr/local/bin/node', '-e', code]);

  it('carries the volume to the other engine and removes it from the first', async () => {
    const [east, west] = engines;
    const id = 'agent-otto';
    await world.db.insert(agents).values({
      id,
      username: 'otto',
      desiredState: 'running',
      observedState: 'running',
      hostId: world.hostIds.east,
    });
    const provisionArgs = world.deps.hosts.provisionArgs(
      { ...(await agentById(world.db, id))!, hostId: world.hostIds.east },
      null,
    );
    const provisioned = await world.transportOf('east').exec('provision', ['otto', id, ...provisionArgs]);
    expect(provisioned.code, provisioned.stdout + provisioned.stderr).toBe(0);
    await nodeIn(
      east,
      "const fs=require('fs');fs.mkdirSync('/a0/usr/work',{recursive:true});fs.writeFileSync('/a0/usr/work/plan.md','# plan')",
    );

    await moveAgent(world.db, world.changeDeps(), id, world.hostIds.west);
    await vi.waitFor(async () => expect((await latestRun(world.db, id, 'move'))?.status).toBe('succeeded'), {
      timeout: 120_000,
      interval: 250,
    });
    expect(await agentById(world.db, id)).toMatchObject({
      hostId: world.hostIds.west,
      observedState: 'running',
    });
    expectTruthfulTimeline(await stepsOf(world.db, (await latestRun(world.db, id, 'move'))!.id), moveSteps);

    expect(
      await nodeIn(west, "process.stdout.write(require('fs').readFileSync('/a0/usr/work/plan.md','utf8'))"),
    ).toBe('# plan');
    expect(await west.docker(['inspect', '--format', '{{.State.Status}}', 'ps-agent-otto'])).toBe(
      'running\n',
    );
    expect(await east.docker(['ps', '--all', '--quiet', '--filter', 'name=ps-agent-otto'])).toBe('');
    expect(await east.docker(['volume', 'ls', '--quiet'])).not.toContain('ps-agent-otto-data');
  }, 180_000);
});
