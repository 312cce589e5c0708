import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isValidUsername } from '@pocket-smyth/core';

/**
 * The process runtime's agents on this machine (infra/host/lib/process.sh keeps `<stateDir>/<username>/pid`):
 * they run in sessions of their own and outlive `pnpm dev`, so the worker says so when it stops and
 * `pnpm dev:stop` stops them.
 */
export interface LocalAgent {
  username: string;
  pid: number;
}

/** The command line of `pid` (Linux /proc), or null when no such process is visible. */
function commandLineOf(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/** Agents whose recorded pid is alive and is that agent (not a recycled pid): `--agent <username>`. */
export function runningLocalAgents(stateDir: string): LocalAgent[] {
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    return [];
  }
  const running: LocalAgent[] = [];
  for (const username of names.sort()) {
    if (!isValidUsername(username)) continue;
    let pid: number;
    try {
      pid = Number.parseInt(readFileSync(path.join(stateDir, username, 'pid'), 'utf8').trim(), 10);
    } catch {
      continue;
    }
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const args = commandLineOf(pid);
    const at = args?.indexOf('--agent') ?? -1;
    if (args && at >= 0 && args[at + 1] === username) running.push({ username, pid });
  }
  return running;
}

/** SIGTERM to each running agent, then waits up to `waitMs` for them to exit; returns those it stopped. */
export async function stopLocalAgents(stateDir: string, waitMs = 5_000): Promise<LocalAgent[]> {
  const agents = runningLocalAgents(stateDir);
  for (const agent of agents) {
    try {
      process.kill(agent.pid, 'SIGTERM');
    } catch {}
  }
  const until = Date.now() + waitMs;
  while (Date.now() < until && agents.some((a) => commandLineOf(a.pid) !== null)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const agent of agents) {
    if (commandLineOf(agent.pid) !== null) {
      try {
        process.kill(agent.pid, 'SIGKILL');
      } catch {}
    }
  }
  return agents;
}

/** The line the worker prints when it stops and agents keep running. */
export function agentsLeftRunningLine(agents: readonly LocalAgent[]): string | null {
  if (agents.length === 0) return null;
  const names = agents.map((a) => a.username).join(', ');
  return `[worker] ${agents.length} local agent${agents.length === 1 ? '' : 's'} keep${agents.length === 1 ? 's' : ''} running (${names}): they outlive pnpm dev on purpose; \`pnpm dev:stop\` stops them and the development Postgres`;
}
