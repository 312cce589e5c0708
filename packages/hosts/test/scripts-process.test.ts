import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deprovisionAgent,
  LocalTransport,
  provisionAgent,
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
