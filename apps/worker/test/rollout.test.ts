import {
  approvePeople,
  type ChangeDeps,
  getRollout,
  pauseRollout,
  resumeRollout,
  rollbackRollout,
  rolloutAgentsOf,
  startRollout,
} from '@pocket-smyth/core';
import { agents, auditEvents, type DbHandle, portalSettings, runs } from '@pocket-smyth/db';
import type { FakeDocker } from '@pocket-smyth/hosts/testing';
import { type JobEnqueuer, provisionAgent } from '@pocket-smyth/jobs';
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminChangeDeps, agentById, latestRun, pendingPerson, waitForRunningAgents } from './support';
import { startTestWorker, type TestWorker } from './test-worker';

const oldImage = 'registry.example.test/agent:1';
const newImage = 'registry.example.test/agent:2';
const names = Array.from({ length: 20 }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);

/**
 * Rollouts end to end with real parts: the worker as `pnpm start` builds it, the real host scripts on
 * the local host, the fake docker daemon, where the new image cannot start in p03's container (the 3rd
 * agent of the batch order), as an image that breaks on one agent's data would.
 */
describe('a rollout over 20 agents', () => {
  let world: TestWorker;
  let fake: FakeDocker;
  let app: DbHandle;
  let enqueue: JobEnqueuer;
  let admin: ChangeDeps;
  const agentIds = new Map<string, string>();

  beforeAll(async () => {
    // Two health checks: a container that is not running fails its provision in about two seconds.
    world = await startTestWorker('rollout', {
      AGENT_IMAGE: oldImage,
      AGENT_HEALTH_CHECKS: '2',
      LOCAL_HOST_CAPACITY: '25',
    });
    ({ fake, app, enqueue } = world);
    admin = await adminChangeDeps(app.db, enqueue);
    const people = [];
    for (const name of names) people.push(await pendingPerson(app.db, name));
    await approvePeople(app.db, admin, people);
    await waitForRunningAgents(app.db, 20, 60_000);
    for (const row of await app.db.select().from(agents)) agentIds.set(row.username, row.id);
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  const imageOf = (name: string) => fake.container(`ps-agent-${name}`)?.Config.Image;
  const stateOf = (name: string) => fake.container(`ps-agent-${name}`)?.State.Status;

  async function waitForStatus(rolloutId: string, status: string, timeout = 60_000) {
    await vi.waitFor(
      async () => {
        expect((await getRollout(app.db, rolloutId)).status).toBe(status);
      },
      { timeout, interval: 200 },
    );
  }

  it('provisioned every agent on the worker default image, and records it', async () => {
    const rows = await app.db.select().from(agents);
    expect(rows.map((row) => row.runningImage)).toEqual(Array(20).fill(oldImage));
    for (const name of names) expect(imageOf(name)).toBe(oldImage);
  });

  it('stops after the failure threshold when the 3rd fails health; the rest keep the old image; rollback restores them', async () => {
    fake.crashImage(newImage, 'ps-agent-p03');
    const started = await startRollout(app.db, admin, {
      image: newImage,
      batchSize: 1,
      failureThresholdPercent: 10,
    });
    expect(started).toMatchObject({ status: 'running', fromImage: null, toImage: newImage, total: 20 });
    // The new image is the default at once: new agents take it.
    const [setting] = await app.db.select().from(portalSettings);
    expect(setting).toMatchObject({ key: 'agent_image.default', value: newImage });

    await waitForStatus(started.id, 'stopped_failed');
    const stopped = await getRollout(app.db, started.id);
    expect(stopped.counts).toMatchObject({ succeeded: 2, failed: 1, pending: 17, in_progress: 0 });
    expect(stopped.statusReason).toBe('1 of 3 agents failed, more than 10%');

    const members = await rolloutAgentsOf(app.db, started.id);
    expect(members.slice(0, 3).map((m) => [m.username, m.status])).toEqual([
      ['p01', 'succeeded'],
      ['p02', 'succeeded'],
      ['p03', 'failed'],
    ]);
    expect(members[2]!.error).toMatch(/^timeout: The agent was not running after 2 checks/);
    // Its failed run is the link the admin page shows.
    const failedRun = (await latestRun(app.db, agentIds.get('p03')!, 'provision'))!;
    expect(members[2]!.runId).toBe(failedRun.id);

    // One batch at a time: each provision started after the one before it had ended.
    const batchRuns = await Promise.all(
      ['p01', 'p02', 'p03'].map(async (name) => (await latestRun(app.db, agentIds.get(name)!, 'provision'))!),
    );
    expect(batchRuns[1]!.createdAt.getTime()).toBeGreaterThanOrEqual(batchRuns[0]!.endedAt!.getTime());
    expect(batchRuns[2]!.createdAt.getTime()).toBeGreaterThanOrEqual(batchRuns[1]!.endedAt!.getTime());

    expect(imageOf('p01')).toBe(newImage);
    expect(imageOf('p02')).toBe(newImage);
    expect(imageOf('p03')).toBe(newImage);
    expect(stateOf('p03')).toBe('exited');
    for (const name of names.slice(3)) {
      expect(imageOf(name), name).toBe(oldImage);
      expect(stateOf(name), name).toBe('running');
    }
    const after = await app.db
      .select({ username: agents.username, runningImage: agents.runningImage })
      .from(agents)
      .orderBy(asc(agents.username));
    expect(after.filter((a) => a.runningImage === newImage).map((a) => a.username)).toEqual([
      'p01',
      'p02',
      'p03',
    ]);

    // An agent the stopped rollout never reached keeps its image when it is provisioned again.
    const p05 = agentIds.get('p05')!;
    await enqueue([provisionAgent(p05, { newRun: true })]);
    await vi.waitFor(
      async () => {
        const run = await latestRun(app.db, p05, 'provision');
        expect(run?.status).toBe('succeeded');
        expect(run!.createdAt.getTime()).toBeGreaterThan(stopped.updatedAt.getTime());
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(imageOf('p05')).toBe(oldImage);

    const rolling = await rollbackRollout(app.db, admin, started.id);
    expect(rolling.status).toBe('rolling_back');
    expect(rolling.counts).toMatchObject({ rolling_back: 3, skipped: 17 });
    // The default goes back to what it was: not set, the worker's AGENT_IMAGE.
    expect(await app.db.select().from(portalSettings)).toEqual([]);

    await waitForStatus(started.id, 'rolled_back');
    const rolledBack = await rolloutAgentsOf(app.db, started.id);
    expect(rolledBack.slice(0, 3).map((m) => [m.username, m.status, m.error])).toEqual([
      ['p01', 'rolled_back', null],
      ['p02', 'rolled_back', null],
      ['p03', 'rolled_back', null],
    ]);
    for (const name of names) {
      expect(imageOf(name), name).toBe(oldImage);
      expect(stateOf(name), name).toBe('running');
      expect((await agentById(app.db, agentIds.get(name)!))?.observedState, name).toBe('running');
    }
    // p03's failed run was superseded by its rollback run, which succeeded.
    const p03Runs = await app.db
      .select({ status: runs.status, errorMessage: runs.errorMessage })
      .from(runs)
      .where(eq(runs.agentId, agentIds.get('p03')!))
      .orderBy(asc(runs.id));
    expect(p03Runs.at(-1)?.status).toBe('succeeded');

    const events = await app.db
      .select({ action: auditEvents.action, actorKind: auditEvents.actorKind })
      .from(auditEvents)
      .where(
        inArray(auditEvents.action, [
          'rollout.started',
          'rollout.stopped',
          'rollout.rolled_back',
          'rollout.rollback_finished',
        ]),
      )
      .orderBy(asc(auditEvents.id));
    expect(events).toEqual([
      { action: 'rollout.started', actorKind: 'person' },
      { action: 'rollout.stopped', actorKind: 'system' },
      { action: 'rollout.rolled_back', actorKind: 'person' },
      { action: 'rollout.rollback_finished', actorKind: 'system' },
    ]);
  }, 120_000);

  it('pauses between batches, resumes, and completes with every agent on the new image', async () => {
    const goodImage = 'registry.example.test/agent:3';
    const started = await startRollout(app.db, admin, {
      image: goodImage,
      batchSize: 5,
      failureThresholdPercent: 10,
    });
    expect(started.total).toBe(20);
    await pauseRollout(app.db, admin, started.id);
    // The batch in flight (if one went out) finishes; no other follows while paused.
    await vi.waitFor(
      async () => {
        expect((await getRollout(app.db, started.id)).counts.in_progress).toBe(0);
      },
      { timeout: 30_000, interval: 200 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const paused = await getRollout(app.db, started.id);
    expect(paused.status).toBe('paused');
    expect(paused.counts.succeeded).toBeLessThanOrEqual(5);
    expect(paused.counts.pending).toBeGreaterThanOrEqual(15);
    await expect(pauseRollout(app.db, admin, started.id)).rejects.toMatchObject({ code: 'CONFLICT' });

    await resumeRollout(app.db, admin, started.id);
    await waitForStatus(started.id, 'completed');
    const done = await getRollout(app.db, started.id);
    expect(done.counts).toMatchObject({ succeeded: 20, failed: 0, pending: 0 });
    for (const name of names) expect(imageOf(name), name).toBe(goodImage);
  }, 120_000);
});
