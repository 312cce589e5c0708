import {
  approvePeople,
  type ChangeDeps,
  getRollout,
  rollbackRollout,
  rolloutAgentsOf,
  startRollout,
} from '@pocket-smyth/core';
import { agents, type DbHandle } from '@pocket-smyth/db';
import {
  buildCrashingAgentImage,
  buildSampleAgentImage,
  type RealDocker,
  realDockerUnavailable,
  startRealDocker,
} from '@pocket-smyth/hosts/testing';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminChangeDeps, pendingPerson, waitForRunningAgents } from './support';
import { startTestWorker, type TestWorker } from './test-worker';

/**
 * A rollout against a real Docker engine (a private dockerd, packages/hosts' real-docker.ts): the worker
 * as `pnpm start` builds it provisions sample-agent containers, then a rollout to an image whose
 * entrypoint exits at once. Its first agent fails health, the rollout stops by itself, the others keep
 * running the old image, and the rollback brings the failed one back on it. rollout.test.ts covers 20
 * agents quickly with the fake docker daemon.
 */
const unavailable = realDockerUnavailable();
// CI installs docker.io and runs as root (.ci/run): there a missing engine fails the run, never skips it.
const skip = unavailable !== null && !process.env.CI;
if (skip) console.warn(`[rollout-real-docker] skipped: ${unavailable}`);

const names = ['ra1', 'ra2', 'ra3', 'ra4'];

describe.skipIf(skip)('a rollout on a real Docker engine', () => {
  let docker: RealDocker;
  let world: TestWorker;
  let app: DbHandle;
  let admin: ChangeDeps;
  let goodImage: string;
  let crashingImage: string;

  beforeAll(async () => {
    docker = await startRealDocker({ network: 'ps-rollout-agents' });
    [goodImage, crashingImage] = await Promise.all([
      buildSampleAgentImage(docker),
      buildCrashingAgentImage(docker),
    ]);
    world = await startTestWorker('rollout-docker', {
      HOST_SCRIPT_ENV: JSON.stringify(docker.env),
      AGENT_IMAGE: goodImage,
      AGENT_MEMORY_MB: '128',
      AGENT_CPUS: '0.5',
      AGENT_HEALTH_CHECKS: '3',
    });
    app = world.app;
    admin = await adminChangeDeps(app.db, world.enqueue);
    const people = [];
    for (const name of names) people.push(await pendingPerson(app.db, name));
    await approvePeople(app.db, admin, people);
    // Generous: in CI this runs beside the other packages' suites, each with engines of its own.
    await waitForRunningAgents(app.db, names.length, 180_000);
  }, 300_000);

  afterAll(async () => {
    await world?.stop();
    await docker?.stop();
  }, 60_000);

  const inspect = async (name: string) => {
    const [image, status, restarts] = (
      await docker.docker([
        'inspect',
        '--type',
        'container',
        '--format',
        '{{.Config.Image}} {{.State.Status}} {{.RestartCount}}',
        `ps-agent-${name}`,
      ])
    )
      .trim()
      .split(' ');
    return { image, status, restarts: Number(restarts) };
  };
  const imageAndStatus = async (name: string) => {
    const { image, status } = await inspect(name);
    return { image, status };
  };

  it('the new image fails health on its first agent: stopped, the rest unchanged, rollback restores it', async () => {
    for (const name of names)
      expect(await imageAndStatus(name)).toEqual({ image: goodImage, status: 'running' });

    const started = await startRollout(app.db, admin, {
      image: crashingImage,
      batchSize: 1,
      failureThresholdPercent: 20,
    });
    expect(started.total).toBe(names.length);
    await vi.waitFor(
      async () => {
        expect((await getRollout(app.db, started.id)).status).toBe('stopped_failed');
      },
      { timeout: 90_000, interval: 250 },
    );
    const members = await rolloutAgentsOf(app.db, started.id);
    expect(members.map((m) => [m.username, m.status])).toEqual([
      ['ra1', 'failed'],
      ['ra2', 'pending'],
      ['ra3', 'pending'],
      ['ra4', 'pending'],
    ]);
    expect(members[0]!.error).toMatch(/^timeout: The agent was not running after 3 checks/);
    const ra1 = await inspect('ra1');
    expect(ra1.image).toBe(crashingImage);
    // Its entrypoint exits at once and the restart policy starts it again: between two starts docker may
    // say "running" for a moment, but never without having restarted it.
    expect(ra1.status !== 'running' || ra1.restarts > 0, `${ra1.status}, ${ra1.restarts} restarts`).toBe(
      true,
    );
    for (const name of ['ra2', 'ra3', 'ra4']) {
      expect(await imageAndStatus(name), name).toEqual({ image: goodImage, status: 'running' });
    }

    await rollbackRollout(app.db, admin, started.id);
    await vi.waitFor(
      async () => {
        expect((await getRollout(app.db, started.id)).status).toBe('rolled_back');
      },
      { timeout: 90_000, interval: 250 },
    );
    expect((await rolloutAgentsOf(app.db, started.id))[0]).toMatchObject({
      username: 'ra1',
      status: 'rolled_back',
    });
    for (const name of names)
      expect(await imageAndStatus(name), name).toEqual({ image: goodImage, status: 'running' });
    const rows = await app.db
      .select({
        username: agents.username,
        runningImage: agents.runningImage,
        observedState: agents.observedState,
      })
      .from(agents)
      .orderBy(asc(agents.username));
    expect(rows).toEqual(
      names.map((username) => ({ username, runningImage: goodImage, observedState: 'running' })),
    );
  }, 240_000);
});
