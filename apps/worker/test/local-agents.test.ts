import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentsLeftRunningLine, runningLocalAgents, stopLocalAgents } from '../src/local-agents';

let dir: string | undefined;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A process whose command line names it as `username`'s agent, as the process runtime starts them. */
function fakeAgent(stateDir: string, username: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', '--agent', username], {
    stdio: 'ignore',
  });
  children.push(child);
  mkdirSync(path.join(stateDir, username), { recursive: true });
  writeFileSync(path.join(stateDir, username, 'pid'), `${child.pid}\n`);
  return child;
}

describe('local agents that outlive pnpm dev', () => {
  it('are found by their pid records, recycled pids and stray folders aside, and stopped by dev:stop', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-local-agents-'));
    const alice = fakeAgent(dir, 'alice');
    fakeAgent(dir, 'bob');
    // carol's pid now belongs to another process (this test runner): not her agent.
    mkdirSync(path.join(dir, 'carol'));
    writeFileSync(path.join(dir, 'carol', 'pid'), `${process.pid}\n`);
    mkdirSync(path.join(dir, 'Not A Name'));

    expect(runningLocalAgents(dir).map((a) => a.username)).toEqual(['alice', 'bob']);
    expect(agentsLeftRunningLine(runningLocalAgents(dir))).toMatch(
      /^\[worker\] 2 local agents keep running \(alice, bob\): .*`pnpm dev:stop`/,
    );

    const exited = new Promise((resolve) => alice.once('exit', resolve));
    const stopped = await stopLocalAgents(dir);
    expect(stopped.map((a) => a.username)).toEqual(['alice', 'bob']);
    await exited;
    expect(runningLocalAgents(dir)).toEqual([]);
    expect(agentsLeftRunningLine([])).toBeNull();
  });

  it('finds nothing where there is no state folder', () => {
    expect(runningLocalAgents(path.join(tmpdir(), 'no-such-state-dir-xyz'))).toEqual([]);
  });
});
