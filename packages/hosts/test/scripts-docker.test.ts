import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deprovisionAgent,
  HostError,
  LocalTransport,
  provisionAgent,
  readHostStatus,
  restartAgent,
  stopAgent,
} from '../src/index';
import { createFakeDocker, FAKE_DOCKER_BIN_DIR, type FakeDocker } from '../src/testing/index';
import { hostileArgs } from './support/fixture-scripts';

/** The real host scripts, docker runtime, with the fake docker first on PATH. */
let fake: FakeDocker;
let transport: LocalTransport;
const scratch = mkdtempSync(path.join(tmpdir(), 'ps-docker-scripts-'));

beforeEach(() => {
  fake = createFakeDocker();
  transport = new LocalTransport({ env: fake.env });
});
afterEach(async () => {
  await transport.close();
  fake.remove();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const alice = { username: 'alice', agentId: 'agent_1', cpus: 1.5, memoryMb: 512, domain: 'example.com' };

async function scriptError(promise: Promise<unknown>): Promise<HostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

describe('docker runtime', () => {
  it('provision twice makes one container and one volume, routed by Traefik through forward-auth', async () => {
    const first = await provisionAgent(transport, alice);
    expect(first).toEqual({
      action: 'provision',
      runtime: 'docker',
      username: 'alice',
      changed: true,
      state: 'running',
      port: null,
    });
    fake.clearCalls();
    const second = await provisionAgent(transport, alice);
    expect(second.changed).toBe(false);
    // The second run only looked.
    expect(fake.calls().map((c) => c.argv[0])).toEqual(['inspect']);

    expect(fake.containers()).toHaveLength(1);
    expect(fake.volumes()).toEqual(['ps-agent-alice-data']);
    const container = fake.container('ps-agent-alice');
    expect(container?.Config.Image).toBe('agent0ai/agent-zero:latest');
    expect(container?.HostConfig).toMatchObject({
      NanoCpus: 1.5e9,
      Memory: 512 * 1024 ** 2,
      MemorySwap: 512 * 1024 ** 2,
      RestartPolicy: { Name: 'unless-stopped' },
      NetworkMode: 'pocket-smyth',
    });
    expect(container?.Mounts).toEqual([
      { Type: 'volume', Name: 'ps-agent-alice-data', Destination: '/a0/usr' },
    ]);
    expect(container?.Config.Labels).toMatchObject({
      'pocket-smyth.agent': 'true',
      'pocket-smyth.username': 'alice',
      'pocket-smyth.agent-id': 'agent_1',
      'traefik.enable': 'true',
      'traefik.http.routers.ps-agent-alice.rule': 'Host(`alice.example.com`) && PathPrefix(`/agent`)',
      'traefik.http.routers.ps-agent-alice.middlewares': 'ps-agent-alice-auth,ps-agent-alice-strip',
      'traefik.http.middlewares.ps-agent-alice-auth.forwardauth.address':
        'https://login.example.com/api/forward-auth',
      'traefik.http.middlewares.ps-agent-alice-strip.stripprefix.prefixes': '/agent',
      'traefik.http.services.ps-agent-alice.loadbalancer.server.port': '80',
    });
  });

  it('recreates the container, keeping the volume, when its settings change', async () => {
    await provisionAgent(transport, alice);
    const before = fake.container('ps-agent-alice');
    const changed = await provisionAgent(transport, {
      ...alice,
      memoryMb: 1024,
      image: 'registry.example.com/agent:2',
      forwardAuthUrl: 'http://portal.internal:3000/api/forward-auth',
    });
    expect(changed.changed).toBe(true);
    const after = fake.container('ps-agent-alice');
    expect(after?.Id).not.toBe(before?.Id);
    expect(after?.HostConfig.Memory).toBe(1024 * 1024 ** 2);
    expect(after?.Config.Image).toBe('registry.example.com/agent:2');
    expect(after?.Config.Labels['traefik.http.middlewares.ps-agent-alice-auth.forwardauth.address']).toBe(
      'http://portal.internal:3000/api/forward-auth',
    );
    expect(fake.containers()).toHaveLength(1);
    expect(fake.volumes()).toEqual(['ps-agent-alice-data']);
  });

  it('an image that cannot run: provision reports it stopped, and only where listed', async () => {
    fake.crashImage('registry.example.com/agent:3', 'ps-agent-alice');
    expect(
      await provisionAgent(transport, { ...alice, image: 'registry.example.com/agent:3' }),
    ).toMatchObject({
      state: 'stopped',
    });
    expect(fake.container('ps-agent-alice')?.State).toMatchObject({ Status: 'exited', Running: false });
    expect(
      await provisionAgent(transport, {
        ...alice,
        username: 'bob',
        agentId: 'agent_b1',
        image: 'registry.example.com/agent:3',
      }),
    ).toMatchObject({ state: 'running' });
    // Back on a good image, the container is made again and runs; the volume is kept.
    expect(await provisionAgent(transport, alice)).toMatchObject({ changed: true, state: 'running' });
    expect(await provisionAgent(transport, { ...alice, image: 'example.com/broken-build:1' })).toMatchObject({
      state: 'stopped',
    });
  });

  it('two provisions at once still make one container', async () => {
    const results = await Promise.all([provisionAgent(transport, alice), provisionAgent(transport, alice)]);
    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
    expect(fake.containers()).toHaveLength(1);
  });

  it('stop, restart and deprovision, each idempotent', async () => {
    await provisionAgent(transport, alice);

    expect(await stopAgent(transport, 'alice')).toMatchObject({ changed: true, state: 'stopped' });
    expect(fake.container('ps-agent-alice')?.State.Status).toBe('exited');
    expect(await stopAgent(transport, 'alice')).toMatchObject({ changed: false, state: 'stopped' });
    expect(fake.volumes()).toEqual(['ps-agent-alice-data']); // revoke keeps the data

    expect(await restartAgent(transport, 'alice')).toMatchObject({ changed: true, state: 'running' });
    expect(fake.container('ps-agent-alice')?.State.Status).toBe('running');

    expect(await deprovisionAgent(transport, 'alice')).toMatchObject({ changed: true, state: 'absent' });
    expect(fake.containers()).toEqual([]);
    expect(fake.volumes()).toEqual([]);
    expect(await deprovisionAgent(transport, 'alice')).toMatchObject({ changed: false, state: 'absent' });
    expect(await stopAgent(transport, 'alice')).toMatchObject({ changed: false, state: 'absent' });

    const error = await scriptError(restartAgent(transport, 'alice'));
    expect(error.errorClass).toBe('script_failed');
    expect(error.exitCode).toBe(5);
    expect(error.scriptError?.code).toBe('not_provisioned');
    expect(error.transient).toBe(false);
  });

  it('status reports every agent from three docker calls', async () => {
    for (const username of ['alice', 'bob', 'carol']) {
      await provisionAgent(transport, { ...alice, username, agentId: `id-${username}` });
    }
    await stopAgent(transport, 'bob');
    fake.clearCalls();

    const status = await readHostStatus(transport);
    expect(fake.calls().map((c) => c.argv[0])).toEqual(['ps', 'inspect', 'stats']);
    // Only running containers are asked for stats.
    expect(fake.calls()[2]?.argv.filter((a) => /^[0-9a-f]{64}$/.test(a))).toHaveLength(2);

    expect(status.runtime).toBe('docker');
    const byName = Object.fromEntries(status.agents.map((a) => [a.username, a]));
    expect(Object.keys(byName).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(byName.alice).toMatchObject({
      agentId: 'id-alice',
      state: 'running',
      cpuPercent: 0.5,
      memoryBytes: 52428800,
    });
    expect(byName.bob).toMatchObject({ state: 'stopped', detail: 'exited', cpuPercent: 0, memoryBytes: 0 });
    expect(byName.alice?.since).toBeInstanceOf(Date);
    expect(byName.bob?.since).toBeInstanceOf(Date);

    // A container with an agent's name but not our label is nobody's agent.
    execFileSync(
      path.join(FAKE_DOCKER_BIN_DIR, 'docker'),
      ['run', '--detach', '--name', 'ps-agent-erin', 'busybox'],
      {
        env: { ...process.env, ...fake.env },
      },
    );
    fake.clearCalls();
    const some = await readHostStatus(transport, ['carol', 'dave', 'erin']);
    expect(some.agents.map((a) => [a.username, a.state])).toEqual([
      ['carol', 'running'],
      ['dave', 'absent'],
      ['erin', 'absent'],
    ]);
    // Named agents cost only their own containers, inspected by name with no listing: a health check
    // does not grow with the host.
    const calls = fake.calls().map((c) => c.argv);
    expect(calls.map((argv) => argv[0])).toEqual(['inspect', 'stats']);
    expect(calls[0]?.slice(-3)).toEqual(['ps-agent-carol', 'ps-agent-dave', 'ps-agent-erin']);
    expect(calls[1]?.filter((a) => /^[0-9a-f]{64}$/.test(a))).toHaveLength(1);
  });

  it('refuses a hostile username before docker is ever called', async () => {
    const canary = path.join(scratch, 'canary');
    for (const username of [...hostileArgs(canary).slice(0, 6), 'Alice', 'a--b', 'ab', '-alice', 'alice-']) {
      const error = await scriptError(stopAgent(transport, username));
      expect(error.errorClass).toBe('script_failed');
      expect(error.exitCode).toBe(3);
      expect(error.scriptError?.code).toBe('invalid_username');
    }
    const error = await scriptError(provisionAgent(transport, { ...alice, username: `x$(touch ${canary})` }));
    expect(error.scriptError?.code).toBe('invalid_username');
    expect(fake.calls()).toEqual([]);
    expect(existsSync(canary)).toBe(false);
  });

  it('refuses malformed arguments with invalid_argument or usage', async () => {
    const cases: Array<[Parameters<typeof provisionAgent>[1], string]> = [
      [{ ...alice, cpus: 0 }, 'invalid_argument'],
      [{ ...alice, memoryMb: Number.NaN }, 'invalid_argument'],
      [{ ...alice, image: '--privileged' }, 'invalid_argument'],
      [{ ...alice, domain: 'Example.com`) || Host(`evil' }, 'invalid_argument'],
      [{ ...alice, forwardAuthUrl: 'javascript:alert(1)' }, 'invalid_argument'],
      [{ ...alice, agentId: 'a b' }, 'invalid_argument'],
    ];
    for (const [input, code] of cases) {
      const error = await scriptError(provisionAgent(transport, input));
      expect(error.scriptError?.code).toBe(code);
      expect(error.exitCode).toBe(4);
    }
    const usage = await transport.exec('stop', ['alice', 'extra']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(fake.calls()).toEqual([]);
  });

  it('reports an unreachable docker daemon as a transient runtime failure', async () => {
    const down = new LocalTransport({ env: { ...fake.env, FAKE_DOCKER_DAEMON: 'down' } });
    const error = await scriptError(provisionAgent(down, alice));
    expect(error.errorClass).toBe('script_failed');
    expect(error.scriptError?.code).toBe('runtime_failed');
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/Cannot connect to the Docker daemon/);
    expect(error.outputTail).toMatch(/runtime_failed/);
    // A health check by name too: an unreachable daemon is a failure, never "absent".
    const status = await scriptError(readHostStatus(down, ['alice']));
    expect(status.scriptError?.code).toBe('runtime_failed');
    expect(status.transient).toBe(true);
  });

  it('provision reports the state the daemon gives after the start', async () => {
    expect(await provisionAgent(transport, alice)).toMatchObject({ changed: true, state: 'running' });
    const calls = fake.calls().map((c) => c.argv[0]);
    // The last call is the inspect that read it.
    expect(calls.at(-2)).toBe('run');
    expect(calls.at(-1)).toBe('inspect');
  });

  it('runs the same way without the fake daemon, one node process per docker call', async () => {
    const perCall = createFakeDocker(undefined, { daemon: false });
    try {
      const local = new LocalTransport({ env: perCall.env });
      expect(await provisionAgent(local, alice)).toMatchObject({ changed: true, state: 'running' });
      expect((await readHostStatus(local, ['alice'])).agents).toMatchObject([
        { username: 'alice', state: 'running' },
      ]);
      expect(new Set(perCall.calls().map((c) => c.pid)).size).toBe(perCall.calls().length);
      expect(perCall.containers()).toHaveLength(1);
    } finally {
      perCall.remove();
    }
  });

  it('prints exactly one JSON line on stdout, success or not', async () => {
    const ok = await transport.exec('status', []);
    const failed = await transport.exec('status', ['Not Valid']);
    for (const result of [ok, failed]) {
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(() => JSON.parse(result.stdout)).not.toThrow();
    }
    expect(failed.code).toBe(3);
  });
});
