import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { inheritedEnvironment } from './env';

/** How a process run through the launcher ended. */
export type LaunchOutcome =
  | {
      kind: 'exited';
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
      truncated: [boolean, boolean];
    }
  | { kind: 'failed'; message: string };

export interface LaunchRequest {
  file: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  /** The script's standard input; without it, stdin is /dev/null. */
  stdin?: Uint8Array;
  stdoutCap: number;
  stderrCap: number;
}

export interface Launched {
  outcome: Promise<LaunchOutcome>;
  /** Signals the process's whole group (it runs in a group of its own); nothing once it ended. */
  kill(signal: NodeJS.Signals): void;
}

const LAUNCHER_SCRIPT = fileURLToPath(new URL('./script-launcher.mjs', import.meta.url));

type LauncherProcess = ChildProcessByStdio<Writable, Readable, null>;

/** A launcher process and the runs it has in flight (a new process never inherits an old one's). */
interface Running {
  process: LauncherProcess;
  pending: Map<number, (outcome: LaunchOutcome) => void>;
}

/**
 * One launcher process (./script-launcher.mjs) for the whole worker, started on first use: the local
 * transport's scripts are forked from it rather than from the worker, whose fork costs 15-40 ms of a
 * stopped event loop each (docs/ARCHITECTURE.md, "Hosts"). If it dies, the runs in flight fail as
 * transient (their scripts may have done their work; the jobs retry, and the scripts are idempotent)
 * and the next run starts a new one. It holds the worker's process open only while runs are in flight.
 */
export class Launcher {
  #current: Running | undefined;
  #nextId = 1;

  launch(request: LaunchRequest): Launched {
    const running = this.#start();
    const id = this.#nextId++;
    const outcome = new Promise<LaunchOutcome>((resolve) => {
      running.pending.set(id, resolve);
    });
    refWhileBusy(running);
    const { stdin, ...rest } = request;
    // The input as base64 in the request line (the launcher's own pipe, never an argument).
    const message = stdin ? { ...rest, stdin: Buffer.from(stdin).toString('base64') } : rest;
    running.process.stdin.write(`${JSON.stringify({ op: 'run', id, ...message })}\n`);
    let ended = false;
    void outcome.then(() => {
      ended = true;
    });
    return {
      outcome,
      kill: (signal) => {
        if (ended || running.process.exitCode !== null || running.process.signalCode !== null) return;
        running.process.stdin.write(`${JSON.stringify({ op: 'kill', id, signal })}\n`);
      },
    };
  }

  /** Ends the launcher; scripts still running finish on their own (their runs fail, as transient). */
  stop(): void {
    this.#current?.process.stdin.end();
    this.#current = undefined;
  }

  #start(): Running {
    if (this.#current) return this.#current;
    // Plain JavaScript with a small heap: no loader hooks or flags of the worker's own (execArgv).
    const env: Record<string, string> = { PATH: inheritedEnvironment().PATH ?? '/usr/bin:/bin' };
    const launcher = spawn(process.execPath, ['--max-old-space-size=64', LAUNCHER_SCRIPT], {
      stdio: ['pipe', 'pipe', 'inherit'],
      // Only what finds node's own libraries; every script gets its environment with its request. A cast,
      // because Next.js's global types make NODE_ENV a required key of ProcessEnv where they are included.
      env: env as NodeJS.ProcessEnv,
    });
    const running: Running = { process: launcher, pending: new Map() };
    this.#current = running;
    const lines = createInterface({ input: launcher.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      const message = JSON.parse(line) as {
        id: number;
        error?: string;
        code?: number | null;
        signal?: NodeJS.Signals | null;
        stdout?: string;
        stderr?: string;
        truncated?: [boolean, boolean];
      };
      const resolve = running.pending.get(message.id);
      if (!resolve) return;
      running.pending.delete(message.id);
      resolve(
        message.error !== undefined
          ? { kind: 'failed', message: message.error }
          : {
              kind: 'exited',
              code: message.code ?? null,
              signal: message.signal ?? null,
              stdout: message.stdout ?? '',
              stderr: message.stderr ?? '',
              truncated: message.truncated ?? [false, false],
            },
      );
      refWhileBusy(running);
    });
    const lost = (why: string) => {
      if (this.#current === running) this.#current = undefined;
      for (const [id, resolve] of running.pending) {
        running.pending.delete(id);
        resolve({ kind: 'failed', message: `the script launcher ${why}` });
      }
    };
    launcher.on('exit', (code, signal) => lost(`exited (${signal ?? code})`));
    launcher.on('error', (error) => lost(`could not start: ${error.message}`));
    launcher.stdin.on('error', () => {});
    return running;
  }
}

/** Referenced while runs are in flight (a caller awaits them), unreferenced when idle. */
function refWhileBusy({ process: launcher, pending }: Running): void {
  const busy = pending.size > 0;
  const handles = [launcher, launcher.stdout, launcher.stdin] as unknown as Array<{
    ref(): void;
    unref(): void;
  }>;
  for (const handle of handles) {
    if (busy) handle.ref();
    else handle.unref();
  }
}
