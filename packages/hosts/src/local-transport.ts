import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { connectDataPipes } from './data-stream';
import { Deadline } from './deadline';
import { AGENT_SECRETS_KEY_ENV, inheritedEnvironment } from './env';
import { HostError } from './host-error';
import {
  type DataScript,
  DEFAULT_SCRIPTS_DIR,
  type HostScript,
  isDataScript,
  isHostScript,
} from './host-scripts';
import { type Launched, Launcher, type LaunchOutcome, type LaunchRequest } from './launcher';
import { OutputBuffer } from './output-buffer';
import type { ExecOptions, ExecResult, HostTransport, StreamOptions } from './transport';

export interface LocalTransportOptions {
  /** Where the scripts are; infra/host of this repository by default. */
  scriptsDir?: string;
  /** Set for every script, over what is passed through from `baseEnv`. */
  env?: Readonly<Record<string, string>>;
  /**
   * The environment the scripts start from, filtered to what they need (`scriptEnvironment`): the
   * worker's own environment, passed by the app. Default: this process's (`inheritedEnvironment`, ./env).
   */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Default for calls that give no timeoutMs. */
  commandTimeoutMs?: number;
  /**
   * Start the scripts from the shared launcher process (default), or false: fork them from this
   * process. A fork of the worker costs 15-40 ms of its event loop per script (see ./launcher).
   */
  launcher?: Launcher | false;
}

/** The launcher every local transport of this process shares, started on first use. */
let sharedLauncher: Launcher | undefined;
export function defaultLauncher(): Launcher {
  sharedLauncher ??= new Launcher();
  return sharedLauncher;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
const STDOUT_CAP_BYTES = 16 * 1024 * 1024;
const STDERR_CAP_BYTES = 256 * 1024;
const KILL_GRACE_MS = 2_000;

// What the scripts need from the worker's environment, and nothing else: the worker's own secrets
// (database URLs, HOST_KEY_ENCRYPTION_KEY, API keys) stay out of the scripts' reach.
const PASSED_NAMES = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'LANG', 'TZ']);
const PASSED_PREFIXES = ['AGENT_', 'DOCKER_', 'HOST_STATS_'];
// The worker's own, though its name has a passed prefix: the key of agents' environment variables.
const WITHHELD_NAMES = new Set([AGENT_SECRETS_KEY_ENV]);

export function scriptEnvironment(
  source: Readonly<Record<string, string | undefined>>,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || WITHHELD_NAMES.has(name)) continue;
    if (PASSED_NAMES.has(name) || PASSED_PREFIXES.some((prefix) => name.startsWith(prefix)))
      env[name] = value;
  }
  return { ...env, ...overrides };
}

/** Runs the host scripts with bash on this machine: the default host of a fresh install. */
export class LocalTransport implements HostTransport {
  readonly kind = 'local';
  readonly scriptsDir: string;
  /** The scripts' environment: the same for every call, so built once. */
  readonly #scriptEnv: Readonly<Record<string, string>>;
  readonly #commandTimeoutMs: number;
  readonly #running = new Set<() => void>();
  readonly #launcher: Launcher | undefined;

  constructor(options: LocalTransportOptions = {}) {
    this.scriptsDir = options.scriptsDir ?? DEFAULT_SCRIPTS_DIR;
    this.#scriptEnv = scriptEnvironment(options.baseEnv ?? inheritedEnvironment(), options.env ?? {});
    this.#commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#launcher = options.launcher === false ? undefined : (options.launcher ?? defaultLauncher());
  }

  async exec(script: HostScript, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (!isHostScript(script)) throw new TypeError(`not a host script: ${String(script)}`);
    const deadline = this.#deadline(script, args, options);

    // argv, not a shell line: bash reads the script file and gets every argument as it is.
    const request = {
      file: 'bash',
      args: [path.join(this.scriptsDir, script), ...args],
      env: this.#scriptEnv,
      ...(options.stdin ? { stdin: options.stdin } : {}),
      stdoutCap: STDOUT_CAP_BYTES,
      stderrCap: STDERR_CAP_BYTES,
    };
    const launched = this.#launcher ? this.#launcher.launch(request) : launchDirectly(request);
    return this.#settle(launched, deadline);
  }

  /**
   * Spawned from this process, not through the launcher: the launcher relays each result as one JSON
   * line and cannot carry a stream, and these calls are rare (a move, an evacuation), so the fork's
   * pause of the event loop (see ./launcher) is paid once per agent moved, not per poll.
   */
  async stream(script: DataScript, args: readonly string[], options: StreamOptions): Promise<ExecResult> {
    if (!isDataScript(script)) throw new TypeError(`not a data script: ${String(script)}`);
    const deadline = this.#deadline(script, args, options);
    const child = spawn('bash', [path.join(this.scriptsDir, script), ...args], {
      env: this.#scriptEnv as NodeJS.ProcessEnv,
      // stdin a pipe even without a source: connectDataPipes ends it at once (empty stdin).
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, as launchDirectly's: a stop reaches docker or tar under the script too.
      detached: true,
    });
    const launched = watchChild(child, () => collected);
    const collected = connectDataPipes(child, options, () => launched.kill('SIGTERM'));
    return this.#settle(launched, deadline);
  }

  /** The call's deadline; throws for an argument no argv can carry, or a signal already aborted. */
  #deadline(
    script: string,
    args: readonly string[],
    options: Pick<ExecOptions, 'signal' | 'timeoutMs'>,
  ): Deadline {
    if (args.some((arg) => arg.includes('\0'))) {
      throw new TypeError('a script argument cannot contain a NUL character');
    }
    const deadline = new Deadline(options.timeoutMs ?? this.#commandTimeoutMs, options.signal, script);
    if (deadline.signal.aborted) {
      deadline.dispose();
      throw deadline.signal.reason;
    }
    return deadline;
  }

  /**
   * The script's result once it exits, or the deadline's reason once it fires (the script is then
   * stopped: TERM to its process group, KILL after a grace period).
   */
  #settle(launched: Launched, deadline: Deadline): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const stop = () => {
        launched.kill('SIGTERM');
        killTimer = setTimeout(() => launched.kill('SIGKILL'), KILL_GRACE_MS);
        killTimer.unref();
      };
      this.#running.add(stop);
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        deadline.dispose();
        this.#running.delete(stop);
        outcome();
      };

      deadline.signal.addEventListener(
        'abort',
        () => {
          stop();
          finish(() => reject(deadline.signal.reason));
        },
        { once: true },
      );
      void launched.outcome.then((outcome) => {
        clearTimeout(killTimer);
        if (outcome.kind === 'failed') {
          finish(() =>
            reject(
              new HostError('script_failed', `cannot run bash: ${outcome.message}`, {
                // A launcher that died may come back; bash missing from PATH will not.
                transient: outcome.message.startsWith('the script launcher'),
              }),
            ),
          );
          return;
        }
        const mark = '[…output truncated…]\n';
        finish(() =>
          resolve({
            stdout: (outcome.truncated[0] ? mark : '') + outcome.stdout,
            stderr: (outcome.truncated[1] ? mark : '') + outcome.stderr,
            code: outcome.code ?? 128 + signalNumber(outcome.signal),
          }),
        );
      });
    });
  }

  async close(): Promise<void> {
    for (const stop of this.#running) stop();
  }
}

/** The same run, forked from this process. */
function launchDirectly(request: LaunchRequest): Launched {
  const child = spawn(request.file, [...request.args], {
    // A cast, because Next.js's global types make NODE_ENV a required key of ProcessEnv in any
    // program that includes them; a script's environment has no reason to carry it.
    env: request.env as NodeJS.ProcessEnv,
    stdio: [request.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    // Its own process group, so a timeout or abort stops the script and everything it started
    // in the foreground (agents started by the process runtime leave the group with setsid).
    detached: true,
  });
  if (request.stdin && child.stdin) {
    // A script that exits without reading it all closes the pipe: nothing to report.
    child.stdin.on('error', () => {});
    child.stdin.end(request.stdin);
  }
  const stdout = new OutputBuffer(request.stdoutCap);
  const stderr = new OutputBuffer(request.stderrCap);
  // Piped (see stdio above): never null.
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  return watchChild(child, () => ({ stdout: () => stdout.text(), stderr: () => stderr.text() }));
}

/**
 * A spawned script as a `Launched`: its outcome once every pipe has closed (`output` says what it
 * printed; OutputBuffer marks truncation in its text already), and a kill for its process group.
 */
function watchChild(child: ChildProcess, output: () => { stdout(): string; stderr(): string }): Launched {
  const outcome = new Promise<LaunchOutcome>((resolve) => {
    child.on('error', (error) => resolve({ kind: 'failed', message: error.message }));
    child.on('close', (code, signal) =>
      resolve({
        kind: 'exited',
        code,
        signal,
        stdout: output().stdout(),
        stderr: output().stderr(),
        truncated: [false, false],
      }),
    );
  });
  return {
    outcome,
    kill: (signal) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    },
  };
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? constants.signals[signal] : 0;
}
