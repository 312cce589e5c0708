import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fingerprintPublicKeyLine } from '../host-key';
import { freePort } from './free-port';
import { startSsh2TestServer } from './ssh2-test-server';
import { generateKeyPairFiles } from './test-keys';

export const OPENSSH_SSHD = '/usr/sbin/sshd';

export interface TestSshd {
  /** 'openssh' when /usr/sbin/sshd ran; 'ssh2' for the fallback server. */
  kind: 'openssh' | 'ssh2';
  host: '127.0.0.1';
  port: number;
  /** The account to log in as: whoever runs the tests. */
  user: string;
  /** The server's host key fingerprint, `SHA256:…`, as a host row pins it. */
  hostKeyFingerprint: string;
  /** A private key the server accepts, on disk (for a `file` key reference) and as text. */
  clientKeyPath: string;
  clientPrivateKey: string;
  /** A temporary directory that stop() removes; tests may keep their own files in it. */
  dir: string;
  /**
   * The login's home (`$HOME` and `~` of every command), inside `dir`: what a host keeps in its home
   * (the script bundles under `~/.pocket-smyth/host-scripts`) never reaches the real home of whoever
   * runs the tests.
   */
  home: string;
  /** Everything the server logged so far (OpenSSH at LogLevel DEBUG1). */
  log(): string;
  /** Process id of the listening OpenSSH server (undefined for the fallback). */
  pid: number | undefined;
  /** Cuts every open client connection, as a network failure or a restarted host would. */
  dropConnections(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartTestSshdOptions {
  /** 'auto' (default) uses OpenSSH when installed and falls back to ssh2's server. */
  implementation?: 'auto' | 'openssh' | 'ssh2';
}

/**
 * A real SSH server on 127.0.0.1 for tests: OpenSSH's sshd with its own config, host key and
 * authorized client key in a temporary directory, or ssh2's server where sshd is not installed.
 */
export async function startTestSshd(options: StartTestSshdOptions = {}): Promise<TestSshd> {
  const implementation = options.implementation ?? 'auto';
  const useOpenssh = implementation === 'openssh' || (implementation === 'auto' && existsSync(OPENSSH_SSHD));
  const dir = mkdtempSync(path.join(tmpdir(), 'ps-sshd-'));
  try {
    const home = path.join(dir, 'home');
    mkdirSync(home, { mode: 0o755 });
    const host = generateKeyPairFiles(path.join(dir, 'host_ed25519'), 'pocket-smyth-test-host');
    const client = generateKeyPairFiles(path.join(dir, 'client_ed25519'), 'pocket-smyth-test-client');
    const common = {
      host: '127.0.0.1' as const,
      user: userInfo().username,
      hostKeyFingerprint: fingerprintPublicKeyLine(host.publicKeyLine),
      clientKeyPath: path.join(dir, 'client_ed25519'),
      clientPrivateKey: client.privateKey,
      dir,
      home,
    };
    if (useOpenssh) return await startOpenssh(common, client.publicKeyLine);
    return await startFallback(common, host.privateKey, client.publicKeyLine);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

type Common = Pick<
  TestSshd,
  'host' | 'user' | 'hostKeyFingerprint' | 'clientKeyPath' | 'clientPrivateKey' | 'dir' | 'home'
>;

async function startOpenssh(common: Common, clientPublicKeyLine: string): Promise<TestSshd> {
  const { dir } = common;
  writeFileSync(path.join(dir, 'authorized_keys'), `${clientPublicKeyLine}\n`, { mode: 0o600 });
  // sshd's privilege separation directory; only root can create it, and only root needs it.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const port = await freePort();
  const configPath = path.join(dir, 'sshd_config');
  const lines = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(dir, 'host_ed25519')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    `AllowUsers ${common.user}`,
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UseDNS no',
    'PrintMotd no',
    'MaxSessions 10',
    // Tests and benchmarks open many connections at once from one address.
    'MaxStartups 200',
    'LogLevel DEBUG1',
    // sshd runs every command through the login shell, and bash then reads ~/.bashrc unless it is
    // nested (SHLVL ≥ 2 after its own increment). The developer's rc files are not part of what
    // we test: they can be slow (pyenv, nvm) or print to stdout.
    // The login's HOME is the server's own directory, not the account's (sshd applies SetEnv after
    // HOME from the password database), so `~/…` on this "host" stays inside the test's temp dir.
    `SetEnv SHLVL=1 "HOME=${common.home}"`,
  ];
  // OpenSSH ≥ 9.8 penalises addresses whose connections fail (as the wrong-key tests make them).
  const withPenaltiesOff = [...lines, 'PerSourcePenalties no'];
  writeFileSync(configPath, `${withPenaltiesOff.join('\n')}\n`);
  try {
    execFileSync(OPENSSH_SSHD, ['-t', '-f', configPath], { stdio: 'pipe' });
  } catch {
    writeFileSync(configPath, `${lines.join('\n')}\n`);
  }

  let log = '';
  const child: ChildProcess = spawn(OPENSSH_SSHD, ['-D', '-e', '-f', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    await waitForBanner(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`sshd did not start: ${(error as Error).message}\n${log}`);
  }

  return {
    ...common,
    kind: 'openssh',
    port,
    pid: child.pid,
    log: () => log,
    dropConnections: async () => {
      // Each connection is served by a child of the listener; ending those ends the connections.
      const children = child.pid === undefined ? [] : childPids(child.pid);
      for (const pid of children) process.kill(pid, 'SIGTERM');
      const started = Date.now();
      while (children.some(isAlive) && Date.now() - started < 5_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startFallback(
  common: Common,
  hostPrivateKey: string,
  clientPublicKeyLine: string,
): Promise<TestSshd> {
  const port = await freePort();
  let log = '';
  const server = await startSsh2TestServer({
    port,
    user: common.user,
    hostPrivateKey,
    authorizedPublicKeyLine: clientPublicKeyLine,
    home: common.home,
    log: (line) => {
      log += `${line}\n`;
    },
  });
  return {
    ...common,
    kind: 'ssh2',
    port,
    pid: undefined,
    log: () => log,
    dropConnections: () => server.dropConnections(),
    stop: async () => {
      await server.close();
      rmSync(common.dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once the server on `port` greets with "SSH-2.0"; rejects if `child` exits first. */
async function waitForBanner(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    }
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1_000, () => done(false));
      socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('SSH-2.0')));
      socket.once('error', () => done(false));
    });
    if (greeted) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no SSH banner on port ${port} within ${timeoutMs} ms`);
}

/** Direct children of `parent`, from /proc (Linux). */
function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
