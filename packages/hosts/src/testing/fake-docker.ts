import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inheritedEnvironment } from '../env';
import { DEFAULT_SCRIPTS_DIR } from '../host-scripts';

/** Put this first on PATH and `docker` is infra/host/testing/fake-docker.mjs. */
export const FAKE_DOCKER_BIN_DIR = path.join(DEFAULT_SCRIPTS_DIR, 'testing', 'bin');
const FAKE_DOCKER_SCRIPT = path.join(DEFAULT_SCRIPTS_DIR, 'testing', 'fake-docker.mjs');

export interface FakeDockerOptions {
  /**
   * Run the fake as a daemon (default): one node process for the fake's life, which bin/docker reaches
   * over loopback TCP, so a `docker` call costs a bash start-up rather than a node one. false: every
   * call starts node (the fake's per-call mode; same commands, same state files).
   */
  daemon?: boolean;
}

export interface FakeDockerCall {
  argv: string[];
  pid: number;
  at: string;
}

/** A container as the fake keeps it (the fields the scripts read; see fake-docker.mjs `run`). */
export interface FakeContainer {
  Id: string;
  Name: string;
  Created: string;
  Config: { Image: string; Cmd: string[]; Hostname: string; Env: string[]; Labels: Record<string, string> };
  HostConfig: {
    NanoCpus: number;
    Memory: number;
    MemorySwap: number;
    PidsLimit: number | null;
    RestartPolicy: { Name: string };
    NetworkMode: string;
  };
  Mounts: Array<{ Type: 'volume'; Name: string; Destination: string }>;
  State: { Status: string; Running: boolean; OOMKilled: boolean; StartedAt: string; FinishedAt: string };
  /** Restarts by the restart policy (docker resets it on a manual start). */
  RestartCount: number;
  Fake?: { cpuPercent?: number; memoryBytes?: number };
}

export interface FakeDocker {
  /** The fake's state directory (containers/, volumes/, networks/, calls.jsonl). */
  dir: string;
  /**
   * Environment for the scripts: the fake first on PATH, its state directory, the docker runtime,
   * and a lock directory of its own.
   */
  env: Record<string, string>;
  calls(): FakeDockerCall[];
  clearCalls(): void;
  containers(): FakeContainer[];
  container(name: string): FakeContainer | undefined;
  volumes(): string[];
  /** Writes a running agent container directly, as `provision` would have made it (for large setups). */
  seedAgentContainer(
    username: string,
    options?: {
      running?: boolean;
      cpuPercent?: number;
      memoryBytes?: number;
      /** Docker's State.Status, over `running`'s (e.g. "restarting"). */
      status?: string;
      oomKilled?: boolean;
      restartCount?: number;
    },
  ): void;
  /**
   * Makes `image` one that cannot run (a broken build): its containers exit at once with code 1 at every
   * start, on every container, or only in `container` (e.g. `ps-agent-carol`) when given. Images whose
   * name contains `broken` are like that already.
   */
  crashImage(image: string, container?: string): void;
  /** Stops the daemon (if any) and removes the state directory. */
  remove(): void;
}

/**
 * Starts the fake's daemon and waits, synchronously, until it listens (a node start-up, ~0.1 s), so
 * that the first call already reaches it. It ends with `remove()`, or when this process ends (its
 * stdin closes). Gives up quietly after 10 s: the calls then run in the per-call mode.
 */
function startDaemon(dir: string): () => void {
  const portFile = path.join(dir, 'daemon.port');
  rmSync(portFile, { force: true });
  const env: Record<string, string | undefined> = { ...inheritedEnvironment(), FAKE_DOCKER_DIR: dir };
  const child = spawn(process.execPath, [FAKE_DOCKER_SCRIPT, '--serve'], {
    // A cast: Next.js's global types, where included, make NODE_ENV a required key of ProcessEnv.
    env: env as NodeJS.ProcessEnv,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 10_000;
  while (!existsSync(portFile) && child.exitCode === null && Date.now() < deadline) {
    Atomics.wait(sleeper, 0, 0, 5);
  }
  return () => {
    child.kill('SIGTERM');
    rmSync(portFile, { force: true });
  };
}

export function createFakeDocker(
  dir = mkdtempSync(path.join(tmpdir(), 'ps-fake-docker-')),
  options: FakeDockerOptions = {},
): FakeDocker {
  mkdirSync(dir, { recursive: true });
  const stopDaemon = options.daemon === false ? () => {} : startDaemon(dir);
  const readJsonDir = <T>(sub: string): T[] => {
    const full = path.join(dir, sub);
    if (!existsSync(full)) return [];
    return readdirSync(full)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(path.join(full, f), 'utf8')) as T);
  };
  const logFile = path.join(dir, 'calls.jsonl');

  return {
    dir,
    env: {
      PATH: `${FAKE_DOCKER_BIN_DIR}:${inheritedEnvironment().PATH ?? '/usr/bin:/bin'}`,
      FAKE_DOCKER_DIR: dir,
      AGENT_RUNTIME: 'docker',
      AGENT_LOCK_DIR: path.join(dir, 'locks'),
    },
    calls: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as FakeDockerCall)
        : [],
    clearCalls: () => rmSync(logFile, { force: true }),
    containers: () => readJsonDir<FakeContainer>('containers'),
    container: (name) => readJsonDir<FakeContainer>('containers').find((c) => c.Name === `/${name}`),
    volumes: () => readJsonDir<{ Name: string }>('volumes').map((v) => v.Name),
    seedAgentContainer: (username, options = {}) => {
      const id = randomBytes(32).toString('hex');
      const now = new Date().toISOString();
      const running = options.running ?? true;
      const container: FakeContainer = {
        Id: id,
        Name: `/ps-agent-${username}`,
        Created: now,
        Config: {
          Image: 'agent0ai/agent-zero:latest',
          Cmd: [],
          Hostname: `ps-agent-${username}`,
          Env: [],
          Labels: {
            'pocket-smyth.agent': 'true',
            'pocket-smyth.username': username,
            'pocket-smyth.agent-id': `agent-${username}`,
          },
        },
        HostConfig: {
          NanoCpus: 1e9,
          Memory: 512 * 1024 * 1024,
          MemorySwap: 512 * 1024 * 1024,
          PidsLimit: 1024,
          RestartPolicy: { Name: 'unless-stopped' },
          NetworkMode: 'pocket-smyth',
        },
        Mounts: [{ Type: 'volume', Name: `ps-agent-${username}-data`, Destination: '/a0/usr' }],
        State: {
          Status: options.status ?? (running ? 'running' : 'exited'),
          Running: running,
          OOMKilled: options.oomKilled ?? false,
          StartedAt: now,
          FinishedAt: running ? '0001-01-01T00:00:00Z' : now,
        },
        RestartCount: options.restartCount ?? 0,
        Fake: { cpuPercent: options.cpuPercent, memoryBytes: options.memoryBytes },
      };
      mkdirSync(path.join(dir, 'containers'), { recursive: true });
      mkdirSync(path.join(dir, 'volumes'), { recursive: true });
      writeFileSync(path.join(dir, 'containers', `${id}.json`), JSON.stringify(container));
      writeFileSync(
        path.join(dir, 'volumes', `ps-agent-${username}-data.json`),
        JSON.stringify({ Name: `ps-agent-${username}-data`, Labels: {}, CreatedAt: now }),
      );
    },
    crashImage: (image, container) => {
      appendFileSync(path.join(dir, 'crashing-images'), `${image}${container ? ` ${container}` : ''}\n`);
    },
    remove: () => {
      stopDaemon();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
