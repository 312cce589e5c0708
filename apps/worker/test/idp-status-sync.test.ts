import { completeOnboarding, deletePerson, rejectPeople, revokePerson } from '@pocket-smyth/core';
import { agents, type DbHandle, users } from '@pocket-smyth/db';
import type { JobEnqueuer, JobRequest } from '@pocket-smyth/jobs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// packages/graph's fake Graph and token endpoint over https on loopback (its test support).
import { type FakeGraphServer, startFakeGraphServer } from '../../../packages/graph/test/fake-graph-server';
import { changeDeps, graphEnvFor, pendingPerson } from './support';
import { startTestWorker, type TestWorker } from './test-worker';

const attr = (name: string) => `extension_b2c0a1b2c3d4e5f60718293a4b5c6d7e_${name}`;
const objectId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const lookup = { status: 200, json: { value: [{ id: objectId }] } };

/**
 * `idp.sync` after every change of a person's status: the real worker, the real Graph client, and a
 * fake Graph that records each request. Each case is one change with no agent run touching Graph, so
 * the fake sees exactly the status sync: a lookup of the person by address, then the PATCH.
 */
describe('the status sync to the identity provider', () => {
  let world: TestWorker;
  let graph: FakeGraphServer;
  let app: DbHandle;
  let enqueue: JobEnqueuer;

  beforeAll(async () => {
    graph = await startFakeGraphServer();
    world = await startTestWorker('idp-sync', { ...graphEnvFor(graph.url) });
    ({ app, enqueue } = world);
  });

  afterAll(async () => {
    await world?.stop();
    await graph?.close();
  });

  const patches = () => graph.received.filter((r) => r.route === 'graph' && r.method === 'PATCH');

  /** Waits for the `n`th PATCH; returns its body, and checks the lookup before it asked for `email`. */
  async function statusWrite(email: string, n = 1): Promise<Record<string, unknown>> {
    await vi.waitFor(() => expect(patches()).toHaveLength(n), { timeout: 20_000, interval: 100 });
    const graphCalls = graph.received.filter((r) => r.route === 'graph');
    expect(graphCalls.map((r) => r.method)).toEqual(Array.from({ length: n }, () => ['GET', 'PATCH']).flat());
    const lookupCall = graphCalls.at(-2)!;
    expect(decodeURIComponent(lookupCall.url)).toContain(email);
    const patch = patches().at(-1)!;
    expect(patch.url).toBe(`/v1.0/users/${objectId}`);
    return JSON.parse(patch.body) as Record<string, unknown>;
  }

  it('onboarding: the person is pending, with their username and no agent URL', async () => {
    graph.reset();
    graph.replyToGraph(lookup, { status: 204 });
    const [person] = await app.db
      .insert(users)
      .values({ email: 'olga@example.com', status: 'onboarding' })
      .returning({ id: users.id });
    await completeOnboarding(app.db, changeDeps(enqueue), person!.id, { username: 'olga' });
    expect(await statusWrite('olga@example.com')).toEqual({
      [attr('username')]: 'olga',
      [attr('status')]: 'pending',
      [attr('agentUrl')]: null,
    });
  });

  it('rejection: the person is rejected; a late sync of an older change writes the newer status too', async () => {
    graph.reset();
    graph.replyToGraph(lookup, { status: 204 }, lookup, { status: 204 });
    const [person] = await app.db
      .insert(users)
      .values({ email: 'rui@example.com', status: 'onboarding' })
      .returning({ id: users.id });
    // Onboarding's sync is held back, as if its enqueue took a long way round.
    const heldBack: JobRequest[] = [];
    const holdBack = async (jobs: JobRequest[]) => {
      heldBack.push(...jobs);
    };
    await completeOnboarding(app.db, { ...changeDeps(enqueue), enqueue: holdBack }, person!.id, {
      username: 'rui',
    });
    await rejectPeople(app.db, changeDeps(enqueue), [person!.id], 'We are full.');
    expect(await statusWrite('rui@example.com')).toEqual({
      [attr('username')]: 'rui',
      [attr('status')]: 'rejected',
      [attr('agentUrl')]: null,
    });
    // The late job reads the person when it runs: it writes rejected, never pending again.
    expect(heldBack.map((job) => job.name)).toEqual(['idp.sync']);
    await enqueue(heldBack);
    expect((await statusWrite('rui@example.com', 2))[attr('status')]).toBe('rejected');
  });

  it('revocation, then deletion: revoked without the agent URL, then deleted, found by the address the job carries', async () => {
    graph.reset();
    graph.replyToGraph(lookup, { status: 204 });
    // Approved, with an agent that never came up: no stop or removal run writes to Graph.
    const personId = await pendingPerson(app.db, 'vera');
    await app.db.update(users).set({ status: 'active' }).where(eq(users.id, personId));
    await app.db
      .insert(agents)
      .values({ userId: personId, username: 'vera', desiredState: 'running', observedState: 'absent' });

    await revokePerson(app.db, changeDeps(enqueue), personId, 'Left the lab.');
    expect(await statusWrite('vera@example.com')).toEqual({
      [attr('username')]: 'vera',
      [attr('status')]: 'revoked',
      [attr('agentUrl')]: null,
    });

    graph.replyToGraph(lookup, { status: 204 });
    await deletePerson(app.db, changeDeps(enqueue), personId, 'vera');
    expect(await statusWrite('vera@example.com', 2)).toEqual({
      [attr('username')]: 'vera',
      [attr('status')]: 'deleted',
      [attr('agentUrl')]: null,
    });
  });
});
