import { execFileSync } from 'node:child_process';
import { type ChangeDeps, systemActor } from '@pocket-smyth/core';
import { agents, type Db, runSteps, runs, users } from '@pocket-smyth/db';
import type { FakeDocker } from '@pocket-smyth/hosts/testing';
import { FAKE_DOCKER_BIN_DIR } from '@pocket-smyth/hosts/testing';
import type { JobEnqueuer } from '@pocket-smyth/jobs';
import { asc, desc, eq } from 'drizzle-orm';
import { expect, vi } from 'vitest';

export function changeDeps(enqueue: JobEnqueuer): ChangeDeps {
  return { actor: systemActor, requestId: 'test', ip: null, enqueue };
}

/** An active admin, and the deps of their changes (rollouts record who started them). */
export async function adminChangeDeps(db: Db, enqueue: JobEnqueuer): Promise<ChangeDeps> {
  const [admin] = await db
    .insert(users)
    .values({ email: 'root@example.com', username: 'root', status: 'active', role: 'admin' })
    .returning({ id: users.id });
  return {
    actor: { kind: 'person', id: admin!.id, label: 'root@example.com', personId: admin!.id },
    requestId: 'test',
    ip: null,
    enqueue,
  };
}

/** A person waiting for approval, as onboarding leaves them. */
export async function pendingPerson(db: Db, username: string): Promise<string> {
  const [row] = await db
    .insert(users)
    .values({ email: `${username}@example.com`, username, status: 'pending', requestedAt: new Date() })
    .returning({ id: users.id });
  return row!.id;
}

export async function agentOf(db: Db, personId: string) {
  const [row] = await db.select().from(agents).where(eq(agents.userId, personId));
  return row;
}

export async function agentById(db: Db, agentId: string) {
  const [row] = await db.select().from(agents).where(eq(agents.id, agentId));
  return row;
}

export async function waitForObserved(db: Db, agentId: string, state: string, timeout = 30_000) {
  await vi.waitFor(
    async () => {
      const row = await agentById(db, agentId);
      expect(row?.observedState).toBe(state);
    },
    { timeout, interval: 100 },
  );
}

/**
 * Waits until `count` agents are observed running. When they are not in time, the error says where each
 * agent is: its observed state, and its latest run with the step it failed or is on, so a slow or failed
 * provision in CI explains itself rather than printing "expected [] to have a length of 4".
 */
export async function waitForRunningAgents(db: Db, count: number, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const rows = await db.select().from(agents);
    if (rows.filter((row) => row.observedState === 'running').length >= count) return;
    if (Date.now() > deadline) {
      const lines = await Promise.all(
        rows.map(async (row) => {
          const run = await latestRun(db, row.id);
          if (!run) return `${row.username}: ${row.observedState}, no run`;
          const steps = await stepsOf(db, run.id);
          const step = steps.find((s) => s.status !== 'succeeded' && s.status !== 'skipped');
          const where = step
            ? `, step "${step.name}" ${step.status}${step.message ? `: ${step.message}` : ''}`
            : '';
          const error = run.errorMessage ? ` (${run.errorMessage})` : '';
          return `${row.username}: ${row.observedState}; ${run.kind} run ${run.status}, attempt ${run.attempt}${error}${where}`;
        }),
      );
      throw new Error(
        `${count} agents were not running after ${timeout / 1000} s:\n${lines.join('\n') || '(no agents)'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function runsOf(db: Db, agentId: string) {
  return db.select().from(runs).where(eq(runs.agentId, agentId)).orderBy(asc(runs.createdAt));
}

export async function latestRun(db: Db, agentId: string, kind?: string) {
  const all = await db.select().from(runs).where(eq(runs.agentId, agentId)).orderBy(desc(runs.createdAt));
  return all.find((run) => !kind || run.kind === kind);
}

export async function stepsOf(db: Db, runId: string) {
  return db.select().from(runSteps).where(eq(runSteps.runId, runId)).orderBy(asc(runSteps.position));
}

/** Every step succeeded or was skipped, in order, each with a start and an end that do not go back in time. */
export function expectTruthfulTimeline(steps: Awaited<ReturnType<typeof stepsOf>>, names: readonly string[]) {
  expect(steps.map((s) => s.name)).toEqual([...names]);
  let previousEnd = 0;
  for (const step of steps) {
    expect(['succeeded', 'skipped'], `${step.name}: ${step.status} ${step.message}`).toContain(step.status);
    if (step.status === 'skipped') continue;
    expect(step.startedAt, step.name).toBeInstanceOf(Date);
    expect(step.endedAt, step.name).toBeInstanceOf(Date);
    expect(step.startedAt!.getTime()).toBeGreaterThanOrEqual(previousEnd);
    expect(step.endedAt!.getTime()).toBeGreaterThanOrEqual(step.startedAt!.getTime());
    previousEnd = step.endedAt!.getTime();
  }
}

/** Runs the fake docker CLI itself, as an operator on the host would (e.g. `docker stop`). */
export function fakeDockerCli(fake: FakeDocker, args: string[]): string {
  return execFileSync(`${FAKE_DOCKER_BIN_DIR}/docker`, args, {
    env: { ...process.env, ...fake.env },
    encoding: 'utf8',
  });
}

/** The B2C extension app id the Graph tests write attributes under. */
export const extensionAppId = 'b2c0a1b2-c3d4-e5f6-0718-293a4b5c6d7e';

/** The worker's Graph settings pointed at a fake Graph server (token endpoint included). */
export function graphEnvFor(graphUrl: string): Record<string, string> {
  return {
    GRAPH_TENANT_ID: 'contoso.onmicrosoft.com',
    GRAPH_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    GRAPH_CLIENT_SECRET: 'client~secret.value',
    GRAPH_B2C_EXTENSION_APP_ID: extensionAppId,
    GRAPH_BASE_URL: graphUrl,
    GRAPH_AUTHORITY_URL: graphUrl,
  };
}
