import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { approvePeople, deleteAgentEnv, setAgentEnv } from '@pocket-smyth/core';
import { auditEvents, runSteps, runs } from '@pocket-smyth/db';
import { generateEncryptionKey } from '@pocket-smyth/hosts/sealed-secret';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { agentOf, changeDeps, latestRun, pendingPerson, waitForObserved } from './support';
import { startTestWorker, type TestWorker } from './test-worker';

/**
 * An agent's environment variables end to end through the worker as `pnpm start` builds it: set in the
 * portal (core), sealed in libSQL, opened by the worker, delivered by the provision script on stdin to a
 * real sample agent (process runtime). The value must reach the agent's environment and nothing else
 * the run leaves behind: no step output, no audit row, no agent log.
 */
describe('agent environment variables through the worker', () => {
  let world: TestWorker;
  const key = generateEncryptionKey();
  const secret = `sk-worker-${crypto.randomUUID()}`;

  beforeAll(async () => {
    world = await startTestWorker('agentenv', {
      AGENT_SECRETS_KEY: key,
      HOST_SCRIPT_ENV: JSON.stringify({ AGENT_RUNTIME: 'process' }),
    });
  });
  afterAll(async () => {
    // A process agent outlives its worker: deprovision it before its state directory goes.
    const stateDir = path.join(world.dir, 'agents');
    try {
      execFileSync('bash', [path.resolve('../../infra/host/deprovision'), 'envy'], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          AGENT_RUNTIME: 'process',
          AGENT_STATE_DIR: stateDir,
        },
      });
    } catch {
      // nothing left
    }
    await world?.stop();
  });

  const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const agentPid = () => Number(readFileSync(path.join(world.dir, 'agents', 'envy', 'pid'), 'utf8'));

  it('a change provisions the running agent again with it; no output, audit row or log holds the value', async () => {
    const { app, enqueue } = world;
    // Everything this process logs meanwhile (the worker's log lines among it), searched at the end.
    const printed: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      const original = console[method].bind(console);
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
        original(...args);
      });
    }
    const personId = await pendingPerson(app.db, 'envy');
    await approvePeople(app.db, changeDeps(enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'running');
    const firstRun = (await latestRun(app.db, agent.id, 'provision'))!;
    expect(environOf(agentPid()).some((entry) => entry.startsWith('OPENAI_API_KEY='))).toBe(false);

    const change = await setAgentEnv(
      app.db,
      changeDeps(enqueue),
      { personId, own: true },
      { name: 'OPENAI_API_KEY', value: secret },
      key,
    );
    expect(change).toMatchObject({
      restarting: true,
      variable: { name: 'OPENAI_API_KEY', last4: secret.slice(-4) },
    });
    await vi.waitFor(
      async () => {
        const run = await latestRun(app.db, agent.id, 'provision');
        expect(run?.id).not.toBe(firstRun.id);
        expect(run?.status).toBe('succeeded');
      },
      { timeout: 30_000, interval: 100 },
    );
    await waitForObserved(app.db, agent.id, 'running');
    expect(environOf(agentPid())).toContain(`OPENAI_API_KEY=${secret}`);

    // Removing it provisions again, without it.
    const before = agentPid();
    expect(
      await deleteAgentEnv(app.db, changeDeps(enqueue), { personId, own: true }, 'OPENAI_API_KEY'),
    ).toEqual({
      restarting: true,
    });
    await vi.waitFor(() => expect(agentPid()).not.toBe(before), { timeout: 30_000, interval: 100 });
    await waitForObserved(app.db, agent.id, 'running');
    expect(environOf(agentPid()).some((entry) => entry.startsWith('OPENAI_API_KEY='))).toBe(false);

    // Everything the runs, the activity log and the agent left behind, searched for the value.
    const steps = await app.db
      .select({ output: runSteps.outputTail, message: runSteps.message, runError: runs.errorMessage })
      .from(runSteps)
      .innerJoin(runs, eq(runs.id, runSteps.runId))
      .where(eq(runs.agentId, agent.id));
    expect(steps.length).toBeGreaterThan(5);
    expect(JSON.stringify(steps)).not.toContain(secret);
    // The step did record the script's output (what is searched is there).
    expect(JSON.stringify(steps)).toContain('"action\\":\\"provision\\"');
    const audit = await app.db.select().from(auditEvents);
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['agent.env_set', 'agent.env_deleted']),
    );
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(readFileSync(path.join(world.dir, 'agents', 'envy', 'agent.log'), 'utf8')).not.toContain(secret);
    expect(printed.join('').includes('agent.provision')).toBe(true);
    expect(printed.join('')).not.toContain(secret);
    vi.restoreAllMocks();
  }, 90_000);
});

/**
 * A worker without AGENT_SECRETS_KEY meets an agent that has variables: its provision fails for good at
 * "run provision script" with `secrets_key_missing`, rather than start the agent without them.
 */
describe('a worker without AGENT_SECRETS_KEY', () => {
  let world: TestWorker;
  const secret = `sk-nokey-${crypto.randomUUID()}`;

  beforeAll(async () => {
    world = await startTestWorker('agentenv-nokey');
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('fails the provision for good with secrets_key_missing, naming no value', async () => {
    const { app, enqueue } = world;
    const personId = await pendingPerson(app.db, 'nokey');
    // Set by a portal that has the key: the worker has none.
    await setAgentEnv(
      app.db,
      changeDeps(enqueue),
      { personId, own: false },
      { name: 'OPENAI_API_KEY', value: secret },
      generateEncryptionKey(),
    );
    await approvePeople(app.db, changeDeps(enqueue), [personId]);
    const agent = (await agentOf(app.db, personId))!;
    await waitForObserved(app.db, agent.id, 'failed');
    const run = (await latestRun(app.db, agent.id, 'provision'))!;
    expect(run).toMatchObject({ status: 'failed', errorClass: 'secrets_key_missing' });
    const steps = await app.db.select().from(runSteps).where(eq(runSteps.runId, run.id));
    expect(steps.find((s) => s.name === 'run provision script')).toMatchObject({
      status: 'failed',
      errorClass: 'secrets_key_missing',
      message: expect.stringMatching(/no AGENT_SECRETS_KEY/),
    });
    // Failed for good: one attempt, no retry.
    expect(steps.find((s) => s.name === 'run provision script')?.attempts).toBe(1);
    expect(JSON.stringify([run, steps])).not.toContain(secret);
  }, 60_000);
});
