import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type AgentLogBatch,
  AppError,
  approvePeople,
  type ChangeMeta,
  followAgentLogs,
  readAgentLogs,
} from '@pocket-smyth/core';
import { agentLogReads, auditEvents } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentOf, changeDeps, pendingPerson, waitForObserved } from './support';
import { startTestWorker, type TestWorker } from './test-worker';

/**
 * Agent logs through the worker (docs/ARCHITECTURE.md, "Agent logs"): the portal's side (packages/core)
 * enqueues `agent.logs` on a real queue, the worker as `pnpm start` builds it runs the real `logs`
 * script against a real sample agent process, and the answer comes back through libSQL.
 */
describe('agent logs, read through the worker', () => {
  let world: TestWorker;
  let personId: string;
  let port: number;
  const admin: ChangeMeta = {
    actor: { kind: 'person', id: 'admin-1', label: 'root@example.com', personId: 'admin-1' },
    requestId: 'test',
    ip: null,
  };

  beforeAll(async () => {
    world = await startTestWorker('agent-logs', {
      HOST_SCRIPT_ENV: JSON.stringify({ AGENT_RUNTIME: 'process' }),
    });
    personId = await pendingPerson(world.app.db, 'logan');
    await approvePeople(world.app.db, changeDeps(world.enqueue), [personId]);
    const agent = await agentOf(world.app.db, personId);
    await waitForObserved(world.app.db, agent!.id, 'running');
    port = Number(readFileSync(path.join(world.dir, 'agents', 'logan', 'port'), 'utf8'));
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  const deps = () => ({ enqueue: world.enqueue });

  it('returns the last lines, oldest first, and leaves no answer row behind', async () => {
    await fetch(`http://127.0.0.1:${port}/agent/hello`).then((r) => r.text());
    const started = Date.now();
    const logs = await readAgentLogs(world.app.db, deps(), personId, { tail: 2 }, { kind: 'owner' });
    const tookMs = Date.now() - started;
    expect(logs.username).toBe('logan');
    expect(logs.lines.map((l) => l.text)).toEqual([
      expect.stringMatching(/^agent logan listening on/),
      'GET /agent/hello',
    ]);
    expect(await world.app.db.select().from(agentLogReads)).toEqual([]);
    // A read is a job round trip, not a poll of the queue every few seconds.
    expect(tookMs).toBeLessThan(5_000);
  });

  it('an admin read is in the activity log; an owner read is not', async () => {
    const before = await world.app.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'agent.logs_viewed'));
    await readAgentLogs(world.app.db, deps(), personId, { tail: 5 }, { kind: 'owner' });
    await readAgentLogs(world.app.db, deps(), personId, { tail: 5 }, { kind: 'admin', meta: admin });
    const after = await world.app.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'agent.logs_viewed'));
    expect(after.length - before.length).toBe(1);
    expect(after.at(-1)).toMatchObject({ actorId: 'admin-1', targetKind: 'agent', targetLabel: 'logan' });
  });

  it('follows: the tail first, then each new line once, until the viewer leaves', async () => {
    const controller = new AbortController();
    const batches: AgentLogBatch[] = [];
    const follow = (async () => {
      for await (const batch of followAgentLogs(
        world.app.db,
        { enqueue: world.enqueue, signal: controller.signal },
        (await agentOf(world.app.db, personId))!.id,
        { tail: 1, intervalMs: 200 },
        { kind: 'owner' },
      )) {
        batches.push(batch);
      }
    })();
    const seen = () => batches.flatMap((b) => b.lines.map((l) => l.text));
    await expect.poll(seen, { timeout: 10_000 }).toHaveLength(1);
    await fetch(`http://127.0.0.1:${port}/agent/one`).then((r) => r.text());
    await fetch(`http://127.0.0.1:${port}/agent/two`).then((r) => r.text());
    await expect
      .poll(seen, { timeout: 10_000 })
      .toEqual(['GET /agent/hello', 'GET /agent/one', 'GET /agent/two']);
    // A few quiet polls later nothing was sent twice.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(seen()).toEqual(['GET /agent/hello', 'GET /agent/one', 'GET /agent/two']);
    controller.abort();
    await follow;
    expect(batches.every((b) => b.error === null)).toBe(true);
  });

  it('a person without an agent is a 404; no worker to answer is a clear 503, not a hang', async () => {
    const nobody = await pendingPerson(world.app.db, 'nobody');
    await expect(
      readAgentLogs(world.app.db, deps(), nobody, { tail: 5 }, { kind: 'owner' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const silent = { enqueue: async () => {}, timeoutMs: 300 };
    const error = await readAgentLogs(world.app.db, silent, personId, { tail: 5 }, { kind: 'owner' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/no worker answered/),
    });
  });
});
