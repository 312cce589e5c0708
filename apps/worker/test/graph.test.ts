import { approvePeople, type ChangeDeps } from '@pocket-smyth/core';
import type { DbHandle } from '@pocket-smyth/db';
import type { JobEnqueuer } from '@pocket-smyth/jobs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// packages/graph's fake Graph and token endpoint over https on loopback (its test support).
import { type FakeGraphServer, startFakeGraphServer } from '../../../packages/graph/test/fake-graph-server';
import {
  agentOf,
  changeDeps,
  graphEnvFor,
  latestRun,
  pendingPerson,
  stepsOf,
  waitForObserved,
} from './support';
import { startTestWorker, type TestWorker } from './test-worker';

const attr = (name: string) => `extension_b2c0a1b2c3d4e5f60718293a4b5c6d7e_${name}`;
const objectId = '6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e';
const lookup = { status: 200, json: { '@odata.count': 1, value: [{ id: objectId }] } };

/** The provision run's identity step against the real Graph client and a fake Graph that checks requests. */
describe('the identity provider step', () => {
  /**
   * The approval's own status sync (`idp.sync`, see idp-status-sync.test.ts) is left out here, so the fake
   * Graph's queued replies all go to the run's step.
   */
  const runOnly = (enqueue: JobEnqueuer): ChangeDeps => ({
    ...changeDeps(enqueue),
    enqueue: (jobs) => enqueue(jobs.filter((job) => job.name !== 'idp.sync')),
  });

  let world: TestWorker;
  let graph: FakeGraphServer;
  let app: DbHandle;
  let enqueue: JobEnqueuer;

  beforeAll(async () => {
    graph = await startFakeGraphServer();
    world = await startTestWorker('graph', { WORKER_CONCURRENCY: '2', ...graphEnvFor(graph.url) });
    ({ app, enqueue } = world);
  });

  afterAll(async () => {
    await world?.stop();
    await graph?.close();
  });

  it('Graph 500 is retried, then the attributes are written with the bearer token', async () => {
    graph.reset();
    graph.replyToGraph(
      lookup,
      { status: 500, json: { error: { code: 'InternalServerError', message: 'boom' } } },
      lookup,
      { status: 204 },
    );
    const personId = await pendingPerson(app.db, 'hana');
    await approvePeople(app.db, runOnly(enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'running');
    const run = (await latestRun(app.db, agent.id, 'provision'))!;
    expect(run.status).toBe('succeeded');
    const step = (await stepsOf(app.db, run.id)).find((s) => s.name === 'update identity provider');
    expect(step).toMatchObject({ status: 'succeeded' });
    expect(step?.attempts).toBeGreaterThanOrEqual(2);

    const patches = graph.received.filter((r) => r.route === 'graph' && r.method === 'PATCH');
    expect(patches).toHaveLength(2);
    const last = patches.at(-1)!;
    expect(last.url).toBe(`/v1.0/users/${objectId}`);
    expect(last.headers.authorization).toBe('Bearer graph-token-1');
    expect(JSON.parse(last.body)).toEqual({
      [attr('username')]: 'hana',
      [attr('status')]: 'active',
      [attr('agentUrl')]: 'https://hana.example.test/agent',
    });
  });

  it('Graph 400 fails the run at once with idp_rejected', async () => {
    graph.reset();
    graph.replyToGraph(lookup, {
      status: 400,
      json: { error: { code: 'Request_BadRequest', message: 'Invalid property' } },
    });
    const personId = await pendingPerson(app.db, 'ivan');
    await approvePeople(app.db, runOnly(enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await vi.waitFor(
      async () => expect((await latestRun(app.db, agent.id, 'provision'))?.status).toBe('failed'),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
    const run = (await latestRun(app.db, agent.id, 'provision'))!;
    expect(run.errorClass).toBe('idp_rejected');
    const step = (await stepsOf(app.db, run.id)).find((s) => s.name === 'update identity provider');
    expect(step).toMatchObject({ status: 'failed', errorClass: 'idp_rejected', attempts: 1 });
    expect(graph.received.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });
});
