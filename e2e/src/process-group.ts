import type { ChildProcess } from 'node:child_process';

/**
 * Options for `spawn` that make the child lead its own process group, so `stopProcessGroup` reaches
 * what it starts in turn: `next start` runs the server in a `next-server` child and tsx runs the worker
 * in a second node, and killing only the parent left those running (and holding ports) after a test.
 */
export const ownProcessGroup = { detached: true } as const;

/** TERM to the whole group, up to `graceMs` for the leader to exit, then KILL to whatever is left. */
export async function stopProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
  signalGroup(child, 'SIGKILL');
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group has already gone.
  }
}
