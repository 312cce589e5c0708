import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inheritedEnvironment } from '../env';
import { DEFAULT_SCRIPTS_DIR } from '../host-scripts';

/**
 * A Docker engine of the tests' own: `dockerd` with its data, state, socket and pid file in a temporary
 * directory, no iptables rules and no default bridge, so it shares nothing with a daemon the machine may
 * already run (and is stopped by its pid, never by name). The host scripts reach it through
 * `DOCKER_HOST` in their environment (`env`), which the local transport passes through. It needs root
 * and Debian's `docker.io` (which .ci/run installs); `realDockerUnavailable()` says why it cannot run.
 */
export interface RealDocker {
  /** `unix://<dir>/docker.sock`. */
  host: string;
  /** The temporary directory stop() removes. */
  dir: string;
  pid: number;
  /**
   * Environment for the host scripts: this daemon, the docker runtime, a lock directory and a docker
   * CLI config directory of its own (nothing lands in HOME), and the agents' network name.
   */
  env: Record<string, string>;
  /** Runs the docker CLI against this daemon; rejects with docker's output when it exits non-zero. */
  docker(args: readonly string[], options?: { timeoutMs?: number }): Promise<string>;
  /** Everything the daemon logged so far. */
  log(): string;
  /** Removes every container, volume and network, then stops the daemon (SIGTERM, by pid). */
  stop(): Promise<void>;
}

export interface StartRealDockerOptions {
  /** AGENT_DOCKER_NETWORK for the scripts: `ps-test-agents` by default. */
  network?: string;
  /** How long the daemon may take to answer `docker info`; 30 s by default. */
  startTimeoutMs?: number;
}

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function findExecutable(name: string): string | undefined {
  const dirs = [...(inheritedEnvironment().PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Why a real engine cannot be started here, or null when it can: Linux, root, `dockerd` and `docker`. */
export function realDockerUnavailable(): string | null {
  if (process.platform !== 'linux') return `dockerd needs Linux, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'dockerd needs root';
  if (!findExecutable('dockerd')) return 'no dockerd (Debian: apt-get install docker.io)';
  if (!findExecutable('docker')) return 'no docker CLI (Debian: apt-get install docker.io)';
  return null;
}

function run(
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      // A cast: Next.js's global types make NODE_ENV a required key of ProcessEnv (see local-transport.ts).
      { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${error.message}\n${stderr}`.trim()));
        } else resolve({ stdout, stderr });
      },
    );
  });
}

/**
 * Whether a test file that needs a real engine skips here, warning why under `label`. Never in CI
 * (.ci/run installs docker.io and runs as root): there a missing engine fails the run instead.
 */
export function skipWithoutRealDocker(label: string): boolean {
  const unavailable = realDockerUnavailable();
  const skip = unavailable !== null && !inheritedEnvironment().CI;
  if (skip) console.warn(`[${label}] skipped: ${unavailable}`);
  return skip;
}

export async function startRealDocker(options: StartRealDockerOptions = {}): Promise<RealDocker> {
  const unavailable = realDockerUnavailable();
  if (unavailable) throw new Error(`cannot start a real Docker engine: ${unavailable}`);
  const dockerd = findExecutable('dockerd')!;
  const dockerCli = findExecutable('docker')!;
  // Short: the socket path (and containerd's, under the exec root) must fit a unix socket's 108 bytes.
  const dir = mkdtempSync(path.join(tmpdir().length > 40 ? '/tmp' : tmpdir(), 'ps-dockerd-'));
  const socket = path.join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const pidFile = path.join(dir, 'docker.pid');
  const logPath = path.join(dir, 'dockerd.log');
  for (const sub of ['config', 'locks', 'home']) mkdirSync(path.join(dir, sub));
  const PATH = [...(inheritedEnvironment().PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH].join(':');
  const cliEnv = {
    PATH,
    HOME: path.join(dir, 'home'),
    DOCKER_HOST: host,
    DOCKER_CONFIG: path.join(dir, 'config'),
  };

  const daemonEnv: Record<string, string> = {
    PATH,
    HOME: path.join(dir, 'home'),
    // Every image the tests use is built locally; a pull (a test's mistake) fails at once on loopback
    // instead of reaching for a registry.
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
  };
  const logFd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      dockerd,
      [
        // Its own (empty) configuration: never /etc/docker/daemon.json, nor /etc/docker/key.json.
        '--config-file',
        writeDaemonConfig(dir, dockerd),
        '--data-root',
        path.join(dir, 'data'),
        '--exec-root',
        path.join(dir, 'exec'),
        '--host',
        host,
        '--pidfile',
        pidFile,
        // No firewall rules and no docker0: the scripts create the (user-defined bridge) network the
        // agents join; it lives and dies with this daemon.
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        // Each engine's networks in a range of its own: every engine would otherwise give its first
        // network 172.18.0.0/16, and with two running at once (the packages' suites run side by side) the
        // machine routes that range to one bridge only, so a test reaching an agent by its address could
        // reach another engine's container.
        '--default-address-pool',
        `base=${privateRange()},size=26`,
      ],
      {
        env: daemonEnv as NodeJS.ProcessEnv,
        stdio: ['ignore', logFd, logFd],
      },
    );
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  child.once('exit', () => {
    gone = true;
  });
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  const docker = async (args: readonly string[], callOptions: { timeoutMs?: number } = {}) =>
    (await run(dockerCli, args, cliEnv, callOptions.timeoutMs ?? 60_000)).stdout;

  const stopDaemon = async () => {
    if (!gone && child.pid !== undefined) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (gone) throw new Error(`dockerd exited while starting:\n${log().slice(-3000)}`);
      try {
        await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 5_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`dockerd did not answer in time: ${String(error)}\n${log().slice(-3000)}`);
        }
        await sleep(100);
      }
    }
  } catch (error) {
    await stopDaemon();
    throw error;
  }

  return {
    host,
    dir,
    pid: child.pid!,
    env: {
      AGENT_RUNTIME: 'docker',
      DOCKER_HOST: host,
      DOCKER_CONFIG: cliEnv.DOCKER_CONFIG,
      AGENT_LOCK_DIR: path.join(dir, 'locks'),
      AGENT_DOCKER_NETWORK: options.network ?? 'ps-test-agents',
    },
    docker,
    log,
    async stop() {
      if (!gone) {
        // What the tests left: containers first (a running one would keep its network and volume).
        const lines = (text: string) => text.split('\n').filter(Boolean);
        const cleanup = async () => {
          const containers = lines(await docker(['ps', '--all', '--quiet']));
          if (containers.length > 0) await docker(['rm', '--force', '--volumes', ...containers]);
          const volumes = lines(await docker(['volume', 'ls', '--quiet']));
          if (volumes.length > 0) await docker(['volume', 'rm', '--force', ...volumes]);
          // Removing a network removes its bridge interface from the machine.
          await docker(['network', 'prune', '--force']);
        };
        await cleanup().catch((error: unknown) => console.error(`[real-docker] cleanup: ${String(error)}`));
      }
      await stopDaemon();
    },
  };
}

/** A random /24 of 10.64.0.0/10 for one engine's networks (four /26 networks of 62 addresses). */
function privateRange(): string {
  const [a, b] = randomBytes(2);
  return `10.${64 + (a! % 64)}.${b}.0/24`;
}

function writeDaemonConfig(dir: string, dockerd: string): string {
  const file = path.join(dir, 'daemon.json');
  // Before 23.0 the daemon writes a "trust key" to /etc/docker/key.json unless told another place; later
  // ones have no such key and refuse a configuration that names it.
  const major = Number(
    /version (\d+)\./.exec(execFileSync(dockerd, ['--version'], { encoding: 'utf8' }))?.[1],
  );
  const config = major < 23 ? { 'deprecated-key-path': path.join(dir, 'key.json') } : {};
  writeFileSync(file, `${JSON.stringify(config)}\n`);
  return file;
}

/** Lazily unmounts whatever a killed daemon left mounted under dir (overlays, its netns files). */
function unmountUnder(dir: string): void {
  let mountinfo = '';
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return;
  }
  const points = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .map((point) => point.replace(/\\040/g, ' '))
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of points) {
    try {
      execFileSync('umount', ['-l', point], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
}

export interface SampleAgentImageOptions {
  /** The port the agent listens on in the container: the scripts' AGENT_CONTAINER_PORT, 80 by default. */
  port?: number;
}

/** Where the image keeps node. */
const IMAGE_NODE = '/usr/local/bin/node';

const images = new Map<string, Promise<string>>();

/**
 * The sample agent as a container image, made without any registry: a root filesystem holding this
 * process's node binary, the shared libraries it loads (from `ldd`) and infra/host/sample-agent/server.mjs,
 * given to `docker import` with the CMD, ENV and EXPOSE an agent container needs: it listens on
 * 0.0.0.0:<port> (AGENT_CONTAINER_PORT), takes its name from the host name provision gives the container
 * (ps-agent-<username>), and serves /agent/__alloc (SAMPLE_AGENT_ALLOC=1) so a test can push it past
 * its memory limit. The tag is the content's hash; a daemon builds it once.
 */
export function buildSampleAgentImage(
  docker: RealDocker,
  options: SampleAgentImageOptions = {},
): Promise<string> {
  const port = options.port ?? 80;
  const files = [
    ...binaryFiles(realpathSync(process.execPath), IMAGE_NODE),
    { source: path.join(DEFAULT_SCRIPTS_DIR, 'sample-agent', 'server.mjs'), target: '/agent/server.mjs' },
  ];
  const changes = [
    `CMD ${JSON.stringify([IMAGE_NODE, '/agent/server.mjs', '--dir', '/tmp', '--host', '0.0.0.0', '--port', String(port)])}`,
    'ENV SAMPLE_AGENT_ALLOC=1',
    `EXPOSE ${port}`,
  ];
  return buildImage(docker, 'pocket-smyth-test/sample-agent', files, changes);
}

/**
 * An agent image whose entrypoint exits at once with code 1 (`/bin/false` and the libraries it loads),
 * made like the sample agent's: a new image that can never become healthy, for rollouts.
 */
export function buildCrashingAgentImage(docker: RealDocker): Promise<string> {
  const falseBinary = findExecutable('false');
  if (!falseBinary) return Promise.reject(new Error('no `false` binary to build the crashing image from'));
  const files = binaryFiles(realpathSync(falseBinary), '/bin/false');
  return buildImage(docker, 'pocket-smyth-test/crashing-agent', files, [
    `CMD ${JSON.stringify(['/bin/false'])}`,
  ]);
}

/** Imports `files` with `changes` under `<repository>:<hash of both>`, once per daemon. */
function buildImage(
  docker: RealDocker,
  repository: string,
  files: readonly ImageFile[],
  changes: readonly string[],
): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.target}\0`).update(readFileSync(file.source)).update('\0');
  for (const change of changes) hash.update(`${change}\n`);
  const tag = `${repository}:${hash.digest('hex').slice(0, 16)}`;
  const key = `${docker.host} ${tag}`;
  let image = images.get(key);
  if (!image) {
    image = importImage(docker, tag, files, changes);
    images.set(key, image);
    image.catch(() => images.delete(key));
  }
  return image;
}

interface ImageFile {
  /** On this machine (symbolic links resolved). */
  source: string;
  /** Inside the image. */
  target: string;
}

/** A binary at `target` in the image, with the shared libraries it loads (from `ldd`). */
function binaryFiles(source: string, target: string): ImageFile[] {
  const files: ImageFile[] = [{ source, target }];
  let ldd = '';
  try {
    ldd = execFileSync('ldd', [source], { encoding: 'utf8' });
  } catch {
    // A static binary ("not a dynamic executable") needs nothing else.
  }
  // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)": each
  // at the path the binary (or its loader) asks for.
  for (const line of ldd.split('\n')) {
    const library = /=>\s*(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)/.exec(line)?.[1];
    if (library) files.push({ source: realpathSync(library), target: library });
  }
  return files;
}

async function importImage(
  docker: RealDocker,
  tag: string,
  files: readonly ImageFile[],
  changes: readonly string[],
): Promise<string> {
  const exists = await docker.docker(['image', 'inspect', '--format', '{{.Id}}', tag]).then(
    () => true,
    () => false,
  );
  if (exists) return tag;
  const staging = mkdtempSync(path.join(docker.dir, 'rootfs-'));
  const tarball = `${staging}.tar`;
  try {
    for (const file of files) {
      const target = path.join(staging, file.target);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(file.source, target);
      chmodSync(target, 0o755);
    }
    mkdirSync(path.join(staging, 'tmp'));
    chmodSync(path.join(staging, 'tmp'), 0o1777);
    const tar = findExecutable('tar') ?? 'tar';
    await run(
      tar,
      ['--numeric-owner', '--owner=0', '--group=0', '-C', staging, '-cf', tarball, '.'],
      {},
      120_000,
    );
    await docker.docker(['import', ...changes.flatMap((change) => ['--change', change]), tarball, tag], {
      timeoutMs: 120_000,
    });
    return tag;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(tarball, { force: true });
  }
}
