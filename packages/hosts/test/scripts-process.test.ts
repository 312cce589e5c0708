import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deprovisionAgent,
  LocalTransport,
  provisionAgent,
  readAgentLogs,
  readHostStats,
  readHostStatus,
  restartAgent,
  stopAgent,
} from '../src/index';
import { isProcessAlive, waitFor } from './support/wait';

/** The real host scripts with the process runtime: real sample agents, real HTTP. */
const stateDir = mkdtempSync(path.join(tmpdir(), 'ps-process-agents-'));
const transport = new LocalTransport({
  env: { AGENT_RUNTIME: 'process', AGENT_STATE_DIR: stateDir, AGENT_LOCK_DIR: path.join(stateDir, '.locks') },
});
const input = (username: string) => ({
  username,
  agentId: `id-${username}`,
  cpus: 1,
  memoryMb: 128,
  domain: 'localhost',
});

const pidOf = (username: string) => Number(readFileSync(path.join(stateDir, username, 'pid'), 'utf8'));

async function health(port: number): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  return response.json();
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  // Whatever a failed assertion left running goes down with the state directory.
  for (const username of ['erin', 'frank'])
    await deprovisionAgent(transport, username).catch(() => undefined);
  await transport.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('process runtime', () => {
  it('provision starts the sample agent, answering /health over HTTP; provision again changes nothing', async () => {
    const first = await provisionAgent(transport, input('erin'));
    expect(first).toMatchObject({ runtime: 'process', changed: true, state: 'running' });
    expect(first.port).toBeGreaterThan(0);
    expect(await health(first.port ?? 0)).toMatchObject({ status: 'ok', agent: 'erin' });
    const pid = pidOf('erin');

    const again = await provisionAgent(transport, input('erin'));
    expect(again).toMatchObject({ changed: false, port: first.port });
    expect(pidOf('erin')).toBe(pid);

    const page = await fetch(`http://127.0.0.1:${first.port}/agent/public/hello`);
    expect(await page.text()).toContain('public page');
  });

  it('a new memory limit (a plan change) starts the process again with it, its data kept; cpus do not apply', async () => {
    await provisionAgent(transport, input('erin'));
    const pid = pidOf('erin');
    appendFileSync(path.join(stateDir, 'erin', 'data', 'notes.md'), '# kept');
    const argsOf = (p: number) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
    expect(argsOf(pid)).toContain('--max-old-space-size=128');

    const moreCpus = await provisionAgent(transport, { ...input('erin'), cpus: 2 });
    expect(moreCpus.changed).toBe(false);
    expect(pidOf('erin')).toBe(pid);

    const bigger = await provisionAgent(transport, { ...input('erin'), memoryMb: 256 });
    expect(bigger).toMatchObject({ changed: true, state: 'running' });
    expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
    expect(argsOf(pidOf('erin'))).toContain('--max-old-space-size=256');
    expect(readFileSync(path.join(stateDir, 'erin', 'data', 'notes.md'), 'utf8')).toBe('# kept');
    expect(await health(bigger.port ?? 0)).toMatchObject({ agent: 'erin' });
  });

  it('status reports every agent in one call, with port, memory and since', async () => {
    await provisionAgent(transport, input('erin'));
    await provisionAgent(transport, input('frank'));
    await stopAgent(transport, 'frank');

    const status = await readHostStatus(transport, []);
    expect(status.runtime).toBe('process');
    const byName = Object.fromEntries(status.agents.map((a) => [a.username, a]));
    expect(Object.keys(byName).sort()).toEqual(['erin', 'frank']);
    expect(byName.erin).toMatchObject({ agentId: 'id-erin', state: 'running', detail: 'running' });
    expect(byName.erin?.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(byName.erin?.port).toBeGreaterThan(0);
    expect(byName.erin?.since).toBeInstanceOf(Date);
    expect(byName.frank).toMatchObject({ state: 'stopped', port: null, memoryBytes: 0 });

    const missing = await readHostStatus(transport, ['gina']);
    expect(missing.agents).toEqual([
      expect.objectContaining({ username: 'gina', state: 'absent', since: null }),
    ]);
  });

  it('stop ends the process, restart brings a new one up, deprovision kills it and removes its data', async () => {
    const { port } = await provisionAgent(transport, input('erin'));
    const pid = pidOf('erin');

    expect(await stopAgent(transport, 'erin')).toMatchObject({ changed: true, state: 'stopped' });
    expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
    expect(await answers(port ?? 0)).toBe(false);
    expect(existsSync(path.join(stateDir, 'erin', 'data'))).toBe(true);

    const restarted = await restartAgent(transport, 'erin');
    expect(restarted).toMatchObject({ changed: true, state: 'running' });
    expect(await health(restarted.port ?? 0)).toMatchObject({ agent: 'erin' });
    const newPid = pidOf('erin');
    expect(newPid).not.toBe(pid);

    expect(await deprovisionAgent(transport, 'erin')).toMatchObject({ changed: true, state: 'absent' });
    expect(await waitFor(() => !isProcessAlive(newPid))).toBe(true);
    expect(existsSync(path.join(stateDir, 'erin'))).toBe(false);
    expect(await deprovisionAgent(transport, 'erin')).toMatchObject({ changed: false, state: 'absent' });
  });

  it('an agent killed behind our back shows as stopped, and provision brings it back', async () => {
    await provisionAgent(transport, input('frank'));
    const pid = pidOf('frank');
    process.kill(pid, 'SIGKILL');
    expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);

    const status = await readHostStatus(transport, ['frank']);
    expect(status.agents[0]).toMatchObject({ state: 'stopped' });
    const back = await provisionAgent(transport, input('frank'));
    expect(back.changed).toBe(true);
    expect(await health(back.port ?? 0)).toMatchObject({ agent: 'frank' });
  });

  it('host-stats reports CPU, memory, disk and load', async () => {
    const stats = await readHostStats(transport);
    expect(stats.cpuCount).toBeGreaterThan(0);
    expect(stats.cpuPercent).toBeLessThanOrEqual(100);
    expect(stats.memTotalBytes).toBeGreaterThan(stats.memUsedBytes);
    expect(stats.memUsedBytes).toBeGreaterThan(0);
    expect(stats.diskTotalBytes).toBeGreaterThanOrEqual(stats.diskUsedBytes);
    expect(stats.load1).toBeGreaterThanOrEqual(0);
  });
});

describe('process runtime logs', () => {
  const logged = new LocalTransport({
    env: {
      AGENT_RUNTIME: 'process',
      AGENT_STATE_DIR: stateDir,
      AGENT_LOCK_DIR: path.join(stateDir, '.locks'),
      AGENT_LOG_MAX_BYTES: '400',
    },
  });
  afterAll(async () => {
    await deprovisionAgent(logged, 'gina').catch(() => undefined);
    await logged.close();
  });

  it('the agent output, timed by the log writer, rotated past the limit, read across both files', async () => {
    const { port } = await provisionAgent(logged, input('gina'));
    for (let i = 1; i <= 12; i++)
      await fetch(`http://127.0.0.1:${port}/agent/page-${i}`).then((r) => r.text());
    let logs: Awaited<ReturnType<typeof readAgentLogs>> | undefined;
    await waitFor(async () => {
      logs = await readAgentLogs(logged, 'gina', { tail: 3 });
      return logs.lines.at(-1)?.text === 'GET /agent/page-12';
    });
    expect(logs).toEqual({
      username: 'gina',
      runtime: 'process',
      lines: [
        { at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/), text: 'GET /agent/page-10' },
        { at: expect.any(String), text: 'GET /agent/page-11' },
        { at: expect.any(String), text: 'GET /agent/page-12' },
      ],
    });
    // Rotated: never more than the limit (plus one line) in agent.log, one older file, nothing else.
    const dir = path.join(stateDir, 'gina');
    expect(
      readdirSync(dir)
        .filter((f) => f.startsWith('agent.log'))
        .sort(),
    ).toEqual(['agent.log', 'agent.log.1']);
    expect(readFileSync(path.join(dir, 'agent.log')).length).toBeLessThanOrEqual(400 + 60);
    // Both files are read, oldest first: the tail spans the rotation.
    const everything = await readAgentLogs(logged, 'gina', { tail: 5000 });
    const texts = everything.lines.map((l) => l.text);
    expect(texts).toContain('GET /agent/page-12');
    expect(texts.length).toBeGreaterThan(
      readFileSync(path.join(dir, 'agent.log'), 'utf8').split('\n').length - 1,
    );
    expect([...everything.lines.map((l) => l.at)].sort()).toEqual(everything.lines.map((l) => l.at));
    // since is exclusive.
    const tenth = everything.lines.find((l) => l.text === 'GET /agent/page-10');
    const after = await readAgentLogs(logged, 'gina', { tail: 100, since: tenth?.at });
    expect(after.lines.map((l) => l.text)).toEqual(['GET /agent/page-11', 'GET /agent/page-12']);
  });

  it('lines are text: terminal escapes removed, quotes and backslashes survive, long lines cut', async () => {
    await provisionAgent(logged, input('gina'));
    const file = path.join(stateDir, 'gina', 'agent.log');
    const at = '2999-01-01T00:00:00.000001Z';
    appendFileSync(
      file,
      `${at} \u001b[31mred\u001b[0m "quoted" back\\slash <b>bold</b>\r\n${at} ${'x'.repeat(5000)}\n`,
    );
    const { lines } = await readAgentLogs(logged, 'gina', { tail: 2 });
    expect(lines[0]).toEqual({
      at: '2999-01-01T00:00:00.000001000Z',
      text: 'red "quoted" back\\slash <b>bold</b>',
    });
    expect(lines[1]?.text).toHaveLength(4000);
  });

  it('refuses bad arguments, and says not_provisioned for an agent that is not there', async () => {
    for (const [tail, since] of [
      [0, ''],
      [5001, ''],
      [10, 'yesterday'],
      [10, '2026-01-01T00:00:00Z; rm -rf /'],
    ] as const) {
      const error = (await readAgentLogs(logged, 'gina', { tail, since }).catch((e: unknown) => e)) as {
        scriptError?: { code: string };
      };
      expect(error.scriptError?.code).toBe('invalid_argument');
    }
    const missing = (await readAgentLogs(logged, 'nobody', { tail: 10 }).catch((e: unknown) => e)) as {
      scriptError?: { code: string };
    };
    expect(missing.scriptError?.code).toBe('not_provisioned');
  });
});
