import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentStatus,
  agentEnvFile,
  deprovisionAgent,
  HostError,
  LocalTransport,
  type ProvisionInput,
  provisionAgent,
  readAgentLogs,
  readHostStats,
  readHostStatus,
  restartAgent,
  stopAgent,
} from '../src/index';
import {
  buildSampleAgentImage,
  type RealDocker,
  skipWithoutRealDocker,
  startRealDocker,
} from '../src/testing/index';
import { watchForSecret } from './support/secret-watch';

/**
 * The real host scripts, docker runtime, against a real Docker engine of this file's own (a private
 * dockerd, see src/testing/real-docker.ts) and the sample agent as an image imported without a
 * registry. scripts-docker.test.ts covers the same scripts quickly with the fake docker CLI.
 */
const skip = skipWithoutRealDocker('scripts-real-docker');

let docker: RealDocker;
let transport: LocalTransport;
let image: string;

beforeAll(async () => {
  if (skip) return;
  docker = await startRealDocker();
  image = await buildSampleAgentImage(docker);
  transport = new LocalTransport({ env: docker.env });
}, 120_000);
afterAll(async () => {
  await transport?.close();
  await docker?.stop();
}, 60_000);

/** Polls until `check` returns something other than undefined. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const inspect = async (container: string, format: string) =>
  (await docker.docker(['inspect', '--type', 'container', '--format', format, container])).trim();

async function statusOf(username: string): Promise<AgentStatus> {
  const status = await readHostStatus(transport, [username]);
  expect(status.runtime).toBe('docker');
  const agent = status.agents.find((a) => a.username === username);
  if (!agent) throw new Error(`status did not report ${username}`);
  return agent;
}

/** The worker's "wait for health" step: `status` until it says running (30 checks, 1 s apart). */
async function waitForRunning(username: string): Promise<AgentStatus> {
  for (let check = 1; check <= 30; check++) {
    const agent = await statusOf(username);
    if (agent.state === 'running') return agent;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`${username} was not running after 30 checks`);
}

/** An HTTP request to the agent on its docker network, as the proxy in front of it makes them. */
async function agentGet(username: string, pathname: string, timeoutMs = 5_000): Promise<unknown> {
  const address = await inspect(
    `ps-agent-${username}`,
    '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
  );
  if (!address) throw new Error(`ps-agent-${username} has no address (not running)`);
  const response = await fetch(`http://${address}:80${pathname}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${pathname}: HTTP ${response.status}`);
  return response.json();
}

/** The agent answers /agent/health (it may take a moment after the container starts). */
/** A page of the sample agent, as text (its access log records it). */
async function fetchText(username: string, pathname: string): Promise<string> {
  const address = await inspect(
    `ps-agent-${username}`,
    '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
  );
  const response = await fetch(`http://${address}:80${pathname}`, { signal: AbortSignal.timeout(5_000) });
  return response.text();
}

const healthy = (username: string) =>
  until(`${username}'s health`, async () => agentGet(username, '/agent/health'), 15_000);

const node = (container: string, code: string) =>
  docker.docker(['exec', container, '/usr/local/bin/node', '-e', code]);

const base = { domain: 'example.test', forwardAuthUrl: 'http://portal.test:3000/api/forward-auth' };

/** The ids of the engine's networks called exactly `name`. */
async function networksNamed(name: string): Promise<string[]> {
  const lines = await docker.docker(['network', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Name}}']);
  return lines
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([, n]) => n === name)
    .map(([id]) => id!);
}

/** Creates a network through the engine's API with its duplicate-name check off, as a race would. */
function createNetworkUnchecked(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        socketPath: docker.host.replace(/^unix:\/\//, ''),
        path: '/v1.41/networks/create',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () =>
          response.statusCode === 201 ? resolve() : reject(new Error(`${response.statusCode}: ${body}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(
      JSON.stringify({ Name: name, CheckDuplicate: false, Labels: { 'pocket-smyth.agent': 'true' } }),
    );
  });
}

describe.skipIf(skip)('docker runtime on a real engine', () => {
  it('provision, health, status with real figures, host-stats, restart, stop, start, deprovision', async () => {
    const alice: ProvisionInput = {
      ...base,
      username: 'alice',
      agentId: 'agent_a1',
      cpus: 0.5,
      memoryMb: 128,
      image,
    };
    expect(await provisionAgent(transport, alice)).toEqual({
      action: 'provision',
      runtime: 'docker',
      username: 'alice',
      changed: true,
      state: 'running',
      port: null,
    });
    const up = await waitForRunning('alice');
    expect(up).toMatchObject({ agentId: 'agent_a1', state: 'running', detail: 'running', port: null });
    expect(up.since).toBeInstanceOf(Date);
    expect(await healthy('alice')).toMatchObject({ status: 'ok', agent: 'alice' });

    // docker stats' figures from the container's cgroup: node's memory, a CPU percentage.
    const status = await readHostStatus(transport);
    expect(status.agents.map((a) => a.username)).toEqual(['alice']);
    const [figures] = status.agents;
    expect(figures?.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(figures?.memoryBytes).toBeLessThan(128 * 1024 * 1024);
    expect(Number.isFinite(figures?.cpuPercent)).toBe(true);

    // What the engine was really given.
    expect(JSON.parse(await inspect('ps-agent-alice', '{{json .HostConfig}}'))).toMatchObject({
      Memory: 128 * 1024 ** 2,
      MemorySwap: 128 * 1024 ** 2,
      NanoCpus: 0.5e9,
      PidsLimit: 1024,
      RestartPolicy: { Name: 'unless-stopped' },
      NetworkMode: 'ps-test-agents',
    });
    expect(JSON.parse(await inspect('ps-agent-alice', '{{json .Mounts}}'))).toMatchObject([
      { Type: 'volume', Name: 'ps-agent-alice-data', Destination: '/a0/usr' },
    ]);
    expect(JSON.parse(await inspect('ps-agent-alice', '{{json .Config.Labels}}'))).toMatchObject({
      'pocket-smyth.agent': 'true',
      'pocket-smyth.username': 'alice',
      'traefik.http.routers.ps-agent-alice.rule': 'Host(`alice.example.test`) && PathPrefix(`/agent`)',
      'traefik.http.middlewares.ps-agent-alice-auth.forwardauth.address': base.forwardAuthUrl,
      'traefik.http.services.ps-agent-alice.loadbalancer.server.port': '80',
    });
    // The run made the volume, with our labels (--mount volume-label).
    expect(
      JSON.parse(
        await docker.docker(['volume', 'inspect', '--format', '{{json .Labels}}', 'ps-agent-alice-data']),
      ),
    ).toMatchObject({ 'pocket-smyth.agent': 'true', 'pocket-smyth.username': 'alice' });

    const stats = await readHostStats(transport);
    expect(stats.cpuCount).toBeGreaterThan(0);
    expect(stats.memUsedBytes).toBeGreaterThan(0);
    expect(stats.memTotalBytes).toBeGreaterThan(stats.memUsedBytes);
    expect(stats.diskTotalBytes).toBeGreaterThan(0);

    // The agent's data lives in its volume: it outlives a restart, a stop, a start and a recreation.
    await node('ps-agent-alice', "require('fs').writeFileSync('/a0/usr/note.txt', 'kept')");
    const note = () =>
      node('ps-agent-alice', "process.stdout.write(require('fs').readFileSync('/a0/usr/note.txt'))");
    const id = await inspect('ps-agent-alice', '{{.Id}}');
    const firstStart = await inspect('ps-agent-alice', '{{.State.StartedAt}}');

    expect(await restartAgent(transport, 'alice')).toMatchObject({ changed: true, state: 'running' });
    expect(await inspect('ps-agent-alice', '{{.State.StartedAt}}')).not.toBe(firstStart);
    expect(await healthy('alice')).toMatchObject({ agent: 'alice' });
    expect(await note()).toBe('kept');

    expect(await stopAgent(transport, 'alice')).toMatchObject({ changed: true, state: 'stopped' });
    expect(await statusOf('alice')).toMatchObject({
      state: 'stopped',
      detail: 'exited',
      cpuPercent: 0,
      memoryBytes: 0,
    });
    expect(await stopAgent(transport, 'alice')).toMatchObject({ changed: false, state: 'stopped' });

    // Provisioning a stopped agent starts the same container again.
    expect(await provisionAgent(transport, alice)).toMatchObject({ changed: true, state: 'running' });
    expect(await inspect('ps-agent-alice', '{{.Id}}')).toBe(id);
    await waitForRunning('alice');
    expect(await healthy('alice')).toMatchObject({ agent: 'alice' });
    expect(await note()).toBe('kept');
    expect(await provisionAgent(transport, alice)).toMatchObject({ changed: false, state: 'running' });

    // New settings make a new container on the same volume.
    expect(await provisionAgent(transport, { ...alice, memoryMb: 160 })).toMatchObject({ changed: true });
    expect(await inspect('ps-agent-alice', '{{.Id}}')).not.toBe(id);
    expect(await inspect('ps-agent-alice', '{{.HostConfig.Memory}}')).toBe(String(160 * 1024 ** 2));
    await waitForRunning('alice');
    expect(await note()).toBe('kept');

    expect(await deprovisionAgent(transport, 'alice')).toMatchObject({ changed: true, state: 'absent' });
    expect(await docker.docker(['ps', '--all', '--quiet', '--filter', 'name=ps-agent-alice'])).toBe('');
    expect(await docker.docker(['volume', 'ls', '--quiet'])).toBe('');
    expect(await statusOf('alice')).toMatchObject({ state: 'absent', detail: 'absent' });
    expect(await deprovisionAgent(transport, 'alice')).toMatchObject({ changed: false, state: 'absent' });
    const error = await restartAgent(transport, 'alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).scriptError?.code).toBe('not_provisioned');
  }, 180_000);

  it('enforces the memory limit: an agent that allocates past it is OOM-killed, and status says so', async (context) => {
    // --memory-swap equal to --memory keeps an agent out of swap only where the kernel accounts swap
    // per cgroup; elsewhere, with swap on, the allocation would be swapped out rather than killed.
    const swapLimit = (await docker.docker(['info', '--format', '{{.SwapLimit}}'])).trim() === 'true';
    const swapTotal = Number(/SwapTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
    if (!swapLimit && swapTotal > 0) context.skip('this kernel cannot keep a container out of swap');
    const bobby: ProvisionInput = {
      ...base,
      username: 'bobby',
      agentId: 'agent_b1',
      cpus: 1,
      memoryMb: 64,
      image,
    };
    await provisionAgent(transport, bobby);
    await waitForRunning('bobby');
    await healthy('bobby');
    const id = await inspect('ps-agent-bobby', '{{.Id}}');

    // 256 MB in a 64 MB container: the kernel kills the agent in the middle of the request.
    await expect(agentGet('bobby', '/agent/__alloc?mb=256', 30_000)).rejects.toThrow();
    expect(
      await until(
        'the OOM kill',
        async () => (await inspect(id, '{{.State.OOMKilled}}')) === 'true' || undefined,
      ),
    ).toBe(true);

    // In words, whether docker's restart policy has it running again or is about to.
    const killed = await until('status to say "out of memory"', async () => {
      const agent = await statusOf('bobby');
      return /out of memory/.test(agent.detail) ? agent : undefined;
    });
    expect(killed.detail).toMatch(
      /^(running \(last exit: out of memory; \d+ restarts?\)|restarting \(out of memory(; \d+ restarts?)?\))$/,
    );

    // `--restart unless-stopped` brings the same container back.
    expect(await healthy('bobby')).toMatchObject({ agent: 'bobby' });
    expect(Number(await inspect(id, '{{.RestartCount}}'))).toBeGreaterThanOrEqual(1);
    expect(await statusOf('bobby')).toMatchObject({ state: 'running' });

    expect(await deprovisionAgent(transport, 'bobby')).toMatchObject({ changed: true, state: 'absent' });
  }, 120_000);

  it('delivers environment variables by --env-file: in the container, never in argv, output or a leftover file', async () => {
    const secret = `sk-docker-${crypto.randomUUID()}`;
    // The scripts' TMPDIR of this test's own, to see the private env file while it exists and that it goes.
    const scriptTmp = mkdtempSync(path.join(tmpdir(), 'ps-env-docker-'));
    const envTransport = new LocalTransport({ env: { ...docker.env, TMPDIR: scriptTmp } });
    try {
      const dora: ProvisionInput = {
        ...base,
        username: 'dora',
        agentId: 'agent_d1',
        cpus: 0.5,
        memoryMb: 128,
        image,
        env: [{ name: 'OPENAI_API_KEY', value: secret }],
      };
      const watch = watchForSecret(secret, { marker: '--env-file', dir: scriptTmp });
      const args = ['dora', 'agent_d1', '0.5', '128', image, base.domain, base.forwardAuthUrl, 'stdin'];
      const raw = await envTransport.exec('provision', args, { stdin: agentEnvFile(dora.env ?? []) });
      await watch.stop();
      expect(raw.code, raw.stderr).toBe(0);
      expect(JSON.parse(raw.stdout)).toMatchObject({ changed: true, state: 'running' });
      expect(watch.hits).toEqual([]);
      // The watch was looking while docker ran: it saw the CLI's `docker run … --env-file <file>`.
      expect(watch.markerSeen.some((line) => line.includes('--env-file'))).toBe(true);
      expect([...watch.fileModes].some(([file, mode]) => file.endsWith('/env') && mode === '600')).toBe(true);
      expect(readdirSync(scriptTmp)).toEqual([]);
      expect(raw.stdout + raw.stderr).not.toContain(secret);

      const env = JSON.parse(await inspect('ps-agent-dora', '{{json .Config.Env}}')) as string[];
      expect(env).toContain(`OPENAI_API_KEY=${secret}`);
      expect(
        (await node('ps-agent-dora', 'process.stdout.write(process.env.OPENAI_API_KEY ?? "")')).trim(),
      ).toBe(secret);
      const firstId = await inspect('ps-agent-dora', '{{.Id}}');
      await node('ps-agent-dora', 'require("fs").writeFileSync("/a0/usr/kept.txt", "kept")');

      // The same variables: nothing changes. A new value: the container is recreated, the volume kept.
      expect(await provisionAgent(envTransport, dora)).toMatchObject({ changed: false });
      const changed = await provisionAgent(envTransport, {
        ...dora,
        env: [{ name: 'OPENAI_API_KEY', value: `${secret}-2` }],
      });
      expect(changed).toMatchObject({ changed: true, state: 'running' });
      expect(await inspect('ps-agent-dora', '{{.Id}}')).not.toBe(firstId);
      expect(JSON.parse(await inspect('ps-agent-dora', '{{json .Config.Env}}'))).toContain(
        `OPENAI_API_KEY=${secret}-2`,
      );
      expect(
        await node(
          'ps-agent-dora',
          'process.stdout.write(require("fs").readFileSync("/a0/usr/kept.txt", "utf8"))',
        ),
      ).toBe('kept');
      // The label carries a digest, never a value.
      expect(await inspect('ps-agent-dora', '{{json .Config.Labels}}')).not.toContain(secret);

      // None any more: recreated without it.
      expect(await provisionAgent(envTransport, { ...dora, env: [] })).toMatchObject({ changed: true });
      const after = JSON.parse(await inspect('ps-agent-dora', '{{json .Config.Env}}')) as string[];
      expect(after.some((entry) => entry.startsWith('OPENAI_API_KEY='))).toBe(false);
      expect(readdirSync(scriptTmp)).toEqual([]);
      expect(docker.log()).not.toContain(secret);
      expect(await deprovisionAgent(envTransport, 'dora')).toMatchObject({ state: 'absent' });
    } finally {
      await envTransport.close();
      rmSync(scriptTmp, { recursive: true, force: true });
    }
  }, 120_000);

  it('provisions racing on a fresh engine make one network between them, and every agent runs', async () => {
    // A network of its own, so that these provisions are the ones to create it. The engine's own check
    // for a taken name is not atomic, so concurrent creates can make two (as in a CI run under load);
    // idle, this rarely races, and the next test makes the duplicate on purpose.
    const network = 'ps-race-agents';
    const raceTransport = new LocalTransport({ env: { ...docker.env, AGENT_DOCKER_NETWORK: network } });
    const names = ['race1', 'race2', 'race3', 'race4', 'race5', 'race6'];
    try {
      const results = await Promise.allSettled(
        names.map((username, i) =>
          provisionAgent(raceTransport, {
            ...base,
            username,
            agentId: `agent_r${i}`,
            cpus: 0.25,
            memoryMb: 128,
            image,
          }),
        ),
      );
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value.state : String(r.reason)))).toEqual(
        names.map(() => 'running'),
      );
      expect(await networksNamed(network)).toHaveLength(1);
    } finally {
      await Promise.all(names.map((username) => deprovisionAgent(raceTransport, username).catch(() => {})));
      await raceTransport.close();
    }
  }, 120_000);

  it('a network an earlier race made twice is one again after the next provision', async () => {
    const network = 'ps-twice-agents';
    // What a race leaves: the engine's API makes a second network of one name when told not to check.
    for (let i = 0; i < 2; i++) await createNetworkUnchecked(network);
    expect(await networksNamed(network)).toHaveLength(2);
    const twiceTransport = new LocalTransport({ env: { ...docker.env, AGENT_DOCKER_NETWORK: network } });
    try {
      const result = await provisionAgent(twiceTransport, {
        ...base,
        username: 'twice',
        agentId: 'agent_t1',
        cpus: 0.25,
        memoryMb: 128,
        image,
      });
      expect(result.state).toBe('running');
      expect(await networksNamed(network)).toHaveLength(1);
    } finally {
      await deprovisionAgent(twiceTransport, 'twice').catch(() => {});
      await twiceTransport.close();
    }
  }, 120_000);

  it('refuses, for good, more CPUs than the host has', async () => {
    const cpus = Number((await docker.docker(['info', '--format', '{{.NCPU}}'])).trim()) + 1;
    const error = await provisionAgent(transport, {
      ...base,
      username: 'carol',
      agentId: 'agent_c1',
      cpus,
      memoryMb: 64,
      image,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    const hostError = error as HostError;
    expect(hostError.exitCode).toBe(4);
    expect(hostError.scriptError?.code).toBe('invalid_argument');
    expect(hostError.transient).toBe(false);
    expect(hostError.message).toMatch(/cpus is more than this host has.*Range of CPUs/s);
    expect(await deprovisionAgent(transport, 'carol')).toMatchObject({ state: 'absent' });
  }, 60_000);
  it('logs: the container output with times, the last lines asked for, only those after since', async () => {
    const dave: ProvisionInput = {
      ...base,
      username: 'dave',
      agentId: 'agent_d1',
      cpus: 0.5,
      memoryMb: 96,
      image,
    };
    await provisionAgent(transport, dave);
    await healthy('dave');
    for (const page of ['one', 'two', 'three'])
      await agentGet('dave', `/agent/health?${page}`).catch(() => undefined);
    await fetchText('dave', '/agent/first');
    await fetchText('dave', '/agent/second');
    const all = await until('the access lines', async () => {
      const logs = await readAgentLogs(transport, 'dave', { tail: 100 });
      return logs.lines.some((line) => line.text === 'GET /agent/second') ? logs : undefined;
    });
    expect(all.runtime).toBe('docker');
    const texts = all.lines.map((line) => line.text);
    expect(texts[0]).toMatch(/^agent dave listening on/);
    expect(texts.slice(-2)).toEqual(['GET /agent/first', 'GET /agent/second']);
    for (const line of all.lines) expect(line.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);

    expect((await readAgentLogs(transport, 'dave', { tail: 1 })).lines.map((l) => l.text)).toEqual([
      'GET /agent/second',
    ]);
    const first = all.lines.find((line) => line.text === 'GET /agent/first');
    const after = await readAgentLogs(transport, 'dave', { tail: 100, since: first?.at });
    expect(after.lines.map((l) => l.text)).toEqual(['GET /agent/second']);

    const missing = await readAgentLogs(transport, 'nobody', { tail: 10 }).catch((e: unknown) => e);
    expect((missing as HostError).scriptError?.code).toBe('not_provisioned');
    await deprovisionAgent(transport, 'dave');
  }, 90_000);
});
