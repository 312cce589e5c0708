import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deprovisionAgent,
  encryptPrivateKey,
  generateEncryptionKey,
  HostError,
  HostTransports,
  parseEncryptionKey,
  provisionAgent,
  readHostStats,
  readHostStatus,
  restartAgent,
  SshTransport,
  type SshTransportOptions,
  stopAgent,
} from '../../src/index';
import { createFakeDocker, freePort, startTestSshd, type TestSshd } from '../../src/testing/index';
import { generateKeyPairFiles } from '../../src/testing/test-keys';
import { createFixtureScripts, ECHO_ARGS_SCRIPT, hostileArgs, parseEchoedArgs } from './fixture-scripts';
import { isProcessAlive, waitFor } from './wait';

async function hostError(promise: Promise<unknown>): Promise<HostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

/**
 * The ssh transport against a real SSH server on loopback: OpenSSH's sshd, or ssh2's own server.
 * `full` runs every case; the fallback server gets the ones that exercise the server itself.
 */
export function sshTransportSuite(implementation: 'auto' | 'ssh2', full: boolean): void {
  let sshd: TestSshd;
  let scratch: string;
  const transports: SshTransport[] = [];
  const cleanups: Array<() => void> = [];

  const open = (overrides: Partial<SshTransportOptions> = {}): SshTransport => {
    const transport = new SshTransport({
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      privateKey: { kind: 'file', path: sshd.clientKeyPath },
      hostKeyFingerprint: sshd.hostKeyFingerprint,
      remoteScriptsRoot: path.join(scratch, 'remote-scripts'),
      ...overrides,
    });
    transports.push(transport);
    return transport;
  };

  /** A script that records its pid, then waits for a long time. */
  const hanging = () => {
    const fixture = createFixtureScripts({
      'host-stats': `echo '{"ok":true}'`,
      status: 'echo "$$" > "$1"; sleep 30; echo finished > "$1.done"',
    });
    cleanups.push(fixture.remove);
    return fixture.dir;
  };

  beforeAll(async () => {
    sshd = await startTestSshd({ implementation });
    scratch = mkdtempSync(path.join(tmpdir(), 'ps-ssh-test-'));
  });

  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()));
    await sshd?.stop();
    for (const cleanup of cleanups) cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  describe(`ssh transport against ${implementation === 'ssh2' ? "ssh2's server" : 'the test sshd'}`, () => {
    it('runs the real scripts: provision twice is one container; stop, restart, deprovision; status of several in one call', async () => {
      const fake = createFakeDocker();
      cleanups.push(fake.remove);
      const transport = open({ env: fake.env });
      const agent = { username: 'alice', agentId: 'a1', cpus: 1, memoryMb: 512, domain: 'example.com' };

      expect(await provisionAgent(transport, agent)).toMatchObject({ changed: true, state: 'running' });
      expect(await provisionAgent(transport, agent)).toMatchObject({ changed: false, state: 'running' });
      expect(fake.containers()).toHaveLength(1);

      await provisionAgent(transport, { ...agent, username: 'bob', agentId: 'b1' });
      expect(await stopAgent(transport, 'alice')).toMatchObject({ changed: true, state: 'stopped' });
      fake.clearCalls();
      const status = await readHostStatus(transport);
      expect(fake.calls().map((c) => c.argv[0])).toEqual(['ps', 'inspect', 'stats']);
      expect(status.agents.map((a) => [a.username, a.state]).sort()).toEqual([
        ['alice', 'stopped'],
        ['bob', 'running'],
      ]);

      expect(await restartAgent(transport, 'alice')).toMatchObject({ state: 'running' });
      expect(await deprovisionAgent(transport, 'alice')).toMatchObject({ changed: true, state: 'absent' });
      expect(fake.containers().map((c) => c.Name)).toEqual(['/ps-agent-bob']);
      expect(fake.volumes()).toEqual(['ps-agent-bob-data']);

      const stats = await readHostStats(transport);
      expect(stats.memTotalBytes).toBeGreaterThan(0);
    });

    it('passes hostile arguments through verbatim, and the real scripts refuse them as usernames', async () => {
      const canary = path.join(scratch, 'canary');
      const args = hostileArgs(canary);
      const fake = createFakeDocker();
      cleanups.push(fake.remove);
      // Fixtures with no validation at all: whatever arrives is echoed, or handed to docker.
      const fixture = createFixtureScripts({
        provision: ECHO_ARGS_SCRIPT,
        stop: `exec docker inspect --type container --format '{{.Id}}' "$@"`,
      });
      cleanups.push(fixture.remove);
      const bypass = open({ scriptsDir: fixture.dir, env: fake.env });

      const echoed = await bypass.exec('provision', args);
      expect(echoed.code).toBe(0);
      expect(parseEchoedArgs(echoed.stdout)).toEqual(args);

      await bypass.exec('stop', args);
      expect(fake.calls().map((c) => c.argv)).toEqual([
        ['inspect', '--type', 'container', '--format', '{{.Id}}', ...args],
      ]);
      fake.clearCalls();

      const real = open({ env: fake.env });
      for (const username of args.slice(0, 6)) {
        const result = await real.exec('provision', [username, 'a1', '1', '512', '', 'example.com', '']);
        expect(result.code).toBe(3);
        expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'invalid_username' } });
      }
      expect(fake.calls()).toEqual([]);
      expect(existsSync(canary)).toBe(false);
    });

    it('refuses a host whose key is not the pinned one, before authenticating and before running anything', async () => {
      const trusted = open();
      await trusted.exec('host-stats', []);
      await trusted.close();
      // The positive case shows up in the log, so its absence below means something.
      expect(sshd.log()).toMatch(/userauth-request/);
      expect(sshd.log()).toMatch(/request exec|^exec /m);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const logBefore = sshd.log().length;
      const remoteRoot = path.join(scratch, 'never-installed');
      const pinnedElsewhere = `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
      const transport = open({ hostKeyFingerprint: pinnedElsewhere, remoteScriptsRoot: remoteRoot });
      const error = await hostError(transport.exec('host-stats', []));
      expect(error.errorClass).toBe('host_key_mismatch');
      expect(error.transient).toBe(false);
      expect(error.message).toContain(sshd.hostKeyFingerprint);

      await new Promise((resolve) => setTimeout(resolve, 200));
      const logAfter = sshd.log().slice(logBefore);
      expect(logAfter).toMatch(/Connection from|connection accepted/);
      expect(logAfter).not.toMatch(/userauth-request|Accepted publickey|request exec|^exec /m);
      expect(existsSync(remoteRoot)).toBe(false);
    });

    it('classifies an unreachable port as host_unreachable, quickly', async () => {
      const port = await freePort();
      const started = Date.now();
      const error = await hostError(open({ port }).exec('host-stats', []));
      expect(error.errorClass).toBe('host_unreachable');
      expect(error.transient).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('times out a command, reports `timeout`, and stops it on the host', async () => {
      const transport = open({ scriptsDir: hanging() });
      await transport.exec('host-stats', []); // connected and installed: the timeout is the command's own
      const pidFile = path.join(scratch, `timeout-${Date.now()}.pid`);
      const error = await hostError(transport.exec('status', [pidFile], { timeoutMs: 1_500 }));
      expect(error.errorClass).toBe('timeout');
      expect(error.transient).toBe(true);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(await waitFor(() => !isProcessAlive(pid), 5_000)).toBe(true);
      expect(existsSync(`${pidFile}.done`)).toBe(false);
      // The connection is still good.
      expect((await transport.exec('host-stats', [])).code).toBe(0);
    });

    it('honours the abort signal: `aborted`, and the command is stopped on the host', async () => {
      const transport = open({ scriptsDir: hanging() });
      const pidFile = path.join(scratch, `abort-${Date.now()}.pid`);
      const controller = new AbortController();
      const running = transport.exec('status', [pidFile], { signal: controller.signal });
      expect(
        await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000),
      ).toBe(true);
      controller.abort();
      const error = await hostError(running);
      expect(error.errorClass).toBe('aborted');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(await waitFor(() => !isProcessAlive(pid), 5_000)).toBe(true);

      const already = new AbortController();
      already.abort();
      expect((await hostError(transport.exec('host-stats', [], { signal: already.signal }))).errorClass).toBe(
        'aborted',
      );
    });

    it("installs the bundle under the login's home by default: the test server's own, never the real one", async () => {
      const transport = open({ remoteScriptsRoot: undefined });
      expect((await transport.exec('host-stats', [])).code).toBe(0);
      const installed = path.join(sshd.home, '.pocket-smyth', 'host-scripts');
      expect(sshd.home.startsWith(sshd.dir)).toBe(true);
      expect(readdirSync(installed)).toHaveLength(1);
    });

    if (!full) return;

    it('keeps one pooled connection for many commands and makes a new one after it drops', async () => {
      const transport = open();
      const accepted = () => count(sshd.log(), /Accepted publickey/);
      const before = accepted();
      await Promise.all(Array.from({ length: 5 }, () => transport.exec('host-stats', [])));
      for (let i = 0; i < 3; i++) await transport.exec('host-stats', []);
      expect(accepted() - before).toBe(1);

      await sshd.dropConnections();
      // The client notices the drop (its socket closes) and the next command reconnects.
      let result: Awaited<ReturnType<SshTransport['exec']>> | undefined;
      for (let attempt = 0; attempt < 3 && !result; attempt++) {
        result = await transport.exec('host-stats', []).catch((error: HostError) => {
          expect(error.errorClass).toBe('host_unreachable');
          return undefined;
        });
      }
      expect(result?.code).toBe(0);
      expect(accepted() - before).toBe(2);
    });

    it('never opens more than maxChannels channels at once; the rest queue', async () => {
      const fixture = createFixtureScripts({
        // Marks itself active, records how many are active, holds, unmarks.
        'host-stats': [
          'token="$1/active.$$"',
          ': > "$token"',
          'ls "$1" | grep -c "^active\\." >> "$1/observed"',
          'sleep 0.4',
          'rm -f "$token"',
        ].join('\n'),
      });
      cleanups.push(fixture.remove);
      const dir = mkdtempSync(path.join(scratch, 'concurrency-'));
      const limit = 3;
      const transport = open({ scriptsDir: fixture.dir, maxChannels: limit });
      const loads: number[] = [];
      const sampler = setInterval(() => loads.push(transport.load.active), 10);
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: limit + 3 }, () => transport.exec('host-stats', [dir])),
      );
      clearInterval(sampler);
      expect(results.every((r) => r.code === 0)).toBe(true);
      const observed = readFileSync(path.join(dir, 'observed'), 'utf8').trim().split('\n').map(Number);
      expect(observed).toHaveLength(limit + 3);
      expect(Math.max(...observed)).toBeLessThanOrEqual(limit);
      expect(Math.max(...observed)).toBeGreaterThanOrEqual(2);
      expect(Math.max(...loads)).toBeLessThanOrEqual(limit);
      // Six commands of 0.4 s through three channels take at least two rounds.
      expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    });

    it('drops a queued command whose signal aborts, without running it', async () => {
      const transport = open({ scriptsDir: hanging(), maxChannels: 1 });
      const first = new AbortController();
      const firstPid = path.join(scratch, `queue-first-${Date.now()}.pid`);
      const running = transport.exec('status', [firstPid], { signal: first.signal });
      expect(await waitFor(() => existsSync(firstPid), 10_000)).toBe(true);

      const second = new AbortController();
      const secondPid = path.join(scratch, `queue-second-${Date.now()}.pid`);
      const queued = transport.exec('status', [secondPid], { signal: second.signal });
      expect(transport.load).toMatchObject({ active: 1, queued: 1 });
      second.abort();
      expect((await hostError(queued)).errorClass).toBe('aborted');
      expect(transport.load.queued).toBe(0);
      first.abort();
      await hostError(running);
      expect(existsSync(secondPid)).toBe(false);
    });

    it('classifies a silent server as host_unreachable after the connect timeout', async () => {
      const silent: Server = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
      const address = silent.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      try {
        const started = Date.now();
        const error = await hostError(open({ port, connectTimeoutMs: 500 }).exec('host-stats', []));
        expect(error.errorClass).toBe('host_unreachable');
        expect(Date.now() - started).toBeLessThan(3_000);
      } finally {
        silent.close();
      }
    });

    it('classifies a rejected client key as auth_failed', async () => {
      const stranger = generateKeyPairFiles(path.join(scratch, `stranger-${Date.now()}`), 'stranger');
      const key = parseEncryptionKey(generateEncryptionKey());
      const transport = open({
        privateKey: { kind: 'encrypted', ciphertext: encryptPrivateKey(stranger.privateKey, key) },
        encryptionKey: key,
      });
      const error = await hostError(transport.exec('host-stats', []));
      expect(error.errorClass).toBe('auth_failed');
      expect(error.transient).toBe(false);
    });

    it('connects with an encrypted key reference, and a wrong encryption key is host_misconfigured', async () => {
      const key = parseEncryptionKey(generateEncryptionKey());
      const ciphertext = encryptPrivateKey(sshd.clientPrivateKey, key);
      const transport = open({ privateKey: { kind: 'encrypted', ciphertext }, encryptionKey: key });
      expect((await transport.exec('host-stats', [])).code).toBe(0);

      const wrong = open({
        privateKey: { kind: 'encrypted', ciphertext },
        encryptionKey: parseEncryptionKey(generateEncryptionKey()),
      });
      const error = await hostError(wrong.exec('host-stats', []));
      // Our configuration, not the host's refusal: the host was never asked.
      expect(error.errorClass).toBe('host_misconfigured');
      expect(error.message).toMatch(/cannot decrypt/);
    });

    it('hands the script its stdin through the channel guard, and the guard still stops it on abort', async () => {
      const fixture = createFixtureScripts({
        restart: 'od -An -v -tx1 | tr -d " \\n"',
        status: 'cat >/dev/null; echo "$$" > "$1"; sleep 30; echo finished > "$1.done"',
      });
      cleanups.push(fixture.remove);
      const transport = open({ scriptsDir: fixture.dir });
      const input = Buffer.concat([Buffer.from('KEY=välue with spaces\n'), Buffer.from([0xff, 0x0a])]);
      const given = await transport.exec('restart', [], { stdin: input });
      expect(given.code, given.stderr).toBe(0);
      expect(given.stdout).toBe(input.toString('hex'));
      expect((await transport.exec('restart', [])).stdout).toBe('');

      const pidFile = path.join(scratch, `stdin-abort-${Date.now()}`);
      const controller = new AbortController();
      const call = transport.exec('status', [pidFile], { stdin: input, signal: controller.signal });
      expect(await waitFor(() => existsSync(pidFile))).toBe(true);
      controller.abort();
      await expect(call).rejects.toMatchObject({ errorClass: 'aborted' });
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
      expect(existsSync(`${pidFile}.done`)).toBe(false);
    });

    it('runs the process runtime over ssh: the agent outlives the channel and deprovision kills it', async () => {
      const stateDir = mkdtempSync(path.join(scratch, 'agents-'));
      const transport = open({
        env: {
          AGENT_RUNTIME: 'process',
          AGENT_STATE_DIR: stateDir,
          AGENT_LOCK_DIR: path.join(stateDir, '.locks'),
          PATH: process.env.PATH ?? '/usr/bin:/bin',
        },
      });
      // Its environment variables travel on the channel's stdin, past the guard.
      const agent = {
        username: 'gina',
        agentId: 'g1',
        cpus: 1,
        memoryMb: 128,
        domain: 'localhost',
        env: [{ name: 'OPENAI_API_KEY', value: 'sk-over-ssh-1234' }],
      };
      try {
        const up = await provisionAgent(transport, agent);
        const response = await fetch(`http://127.0.0.1:${up.port}/health`);
        expect(await response.json()).toMatchObject({ status: 'ok', agent: 'gina' });
        const pid = Number(readFileSync(path.join(stateDir, 'gina', 'pid'), 'utf8'));
        expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(
          'OPENAI_API_KEY=sk-over-ssh-1234',
        );
        expect((await readHostStatus(transport)).agents).toEqual([
          expect.objectContaining({ username: 'gina', state: 'running', port: up.port }),
        ]);
        await deprovisionAgent(transport, 'gina');
        expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
      } finally {
        await deprovisionAgent(transport, 'gina').catch(() => undefined);
      }
    });

    it('HostTransports keeps one transport per host until its connection settings change', async () => {
      const pool = new HostTransports();
      const config = {
        id: 'h1',
        name: 'loopback',
        transport: 'ssh' as const,
        address: sshd.host,
        port: sshd.port,
        user: sshd.user,
        privateKey: { kind: 'file' as const, path: sshd.clientKeyPath },
        hostKeyFingerprint: sshd.hostKeyFingerprint,
        capacity: 10,
        status: 'active' as const,
        env: { AGENT_STATE_DIR: path.join(scratch, 'pool-agents') },
        scriptsRoot: path.join(scratch, 'pool-scripts'),
      };
      try {
        const first = pool.get(config);
        expect(pool.get({ ...config, capacity: 20, status: 'draining' })).toBe(first);
        expect((await first.exec('host-stats', [])).code).toBe(0);
        expect(existsSync(path.join(scratch, 'pool-scripts'))).toBe(true);
        const moved = pool.get({ ...config, maxChannels: 2 });
        expect(moved).not.toBe(first);
        expect(pool.get({ ...config, id: 'local', transport: 'local' }).kind).toBe('local');
      } finally {
        await pool.closeAll();
      }
    });
  });
}
