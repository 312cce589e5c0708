import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostError, LocalTransport } from '../src/index';
import { Launcher } from '../src/launcher';
import {
  createFixtureScripts,
  ECHO_ARGS_SCRIPT,
  hostileArgs,
  parseEchoedArgs,
} from './support/fixture-scripts';
import { isProcessAlive, waitFor } from './support/wait';

const scratch = mkdtempSync(path.join(tmpdir(), 'ps-local-transport-'));
const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function fixture() {
  const scripts = createFixtureScripts({
    provision: ECHO_ARGS_SCRIPT,
    stop: `echo "to stderr" >&2; echo '{"ok":false}'; exit 7`,
    // Its pid, then a child in the same process group, then a long sleep.
    status: 'echo "$$" > "$1"; sleep 30 & echo "$!" > "$1.child"; wait; echo finished > "$1.done"',
    'host-stats': `head -c 300000 /dev/zero | tr '\\0' x`,
    // Its stdin back, as hex: what it was given, byte for byte, or nothing (/dev/null).
    restart: 'od -An -v -tx1 | tr -d " \\n"',
  });
  cleanups.push(scripts.remove);
  return scripts.dir;
}

async function hostError(promise: Promise<unknown>): Promise<HostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

// The same contract whether the scripts are forked from the shared launcher (the default) or from
// this process.
describe.each([
  ['through the launcher', undefined],
  ['forked directly', false as const],
])('local transport, %s', (_name, launcher) => {
  const open = (options: { timeoutMs?: number } = {}) =>
    new LocalTransport({ scriptsDir: fixture(), launcher, commandTimeoutMs: options.timeoutMs });

  it('passes every argument verbatim, and returns output and exit status as they are', async () => {
    const transport = open();
    const args = hostileArgs(path.join(scratch, 'canary'));
    const echoed = await transport.exec('provision', args);
    expect(echoed.code).toBe(0);
    expect(parseEchoedArgs(echoed.stdout)).toEqual(args);
    expect(existsSync(path.join(scratch, 'canary'))).toBe(false);

    expect(await transport.exec('stop', [])).toEqual({
      stdout: '{"ok":false}\n',
      stderr: 'to stderr\n',
      code: 7,
    });
    expect((await transport.exec('host-stats', [])).stdout).toHaveLength(300_000);
  });

  it('times out: `timeout`, and the script and what it started are stopped', async () => {
    const transport = open({ timeoutMs: 1_000 });
    const pidFile = path.join(scratch, `timeout-${launcher}-${Date.now()}`);
    const error = await hostError(transport.exec('status', [pidFile]));
    expect(error.errorClass).toBe('timeout');
    expect(error.transient).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const child = Number(readFileSync(`${pidFile}.child`, 'utf8'));
    expect(await waitFor(() => !isProcessAlive(pid) && !isProcessAlive(child), 5_000)).toBe(true);
    expect(existsSync(`${pidFile}.done`)).toBe(false);
  });

  it('honours the abort signal: `aborted`, and the script is stopped', async () => {
    const transport = open();
    const pidFile = path.join(scratch, `abort-${launcher}-${Date.now()}`);
    const controller = new AbortController();
    const running = transport.exec('status', [pidFile], { signal: controller.signal });
    expect(
      await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000),
    ).toBe(true);
    controller.abort();
    expect((await hostError(running)).errorClass).toBe('aborted');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !isProcessAlive(pid), 5_000)).toBe(true);
  });

  it('gives the script `stdin` as its standard input, byte for byte, and /dev/null without it', async () => {
    const transport = open();
    const input = Buffer.concat([Buffer.from('KEY=välue with spaces\n'), Buffer.from([0xff, 0x00, 0x0a])]);
    const given = await transport.exec('restart', [], { stdin: input });
    expect(given.stdout).toBe(input.toString('hex'));
    expect((await transport.exec('restart', [])).stdout).toBe('');
  });

  it('refuses a NUL in an argument before starting anything', async () => {
    await expect(open().exec('provision', ['a\0b'])).rejects.toThrow(/NUL/);
  });
});

describe('the launcher', () => {
  it('fails the runs in flight as transient when it dies, and the next run starts a new one', async () => {
    const launcher = new Launcher();
    const transport = new LocalTransport({ scriptsDir: fixture(), launcher });
    const pidFile = path.join(scratch, `launcher-${Date.now()}`);
    const running = transport.exec('status', [pidFile]);
    expect(await waitFor(() => existsSync(pidFile), 10_000)).toBe(true);
    launcher.stop();
    const error = await hostError(running);
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/launcher/);
    expect((await transport.exec('stop', [])).code).toBe(7);
    launcher.stop();
    process.kill(Number(readFileSync(pidFile, 'utf8')));
  });
});
