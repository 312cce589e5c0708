import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deprovisionAgent, LocalTransport, provisionAgent, stopAgent } from '../src/index';
import {
  buildSampleAgentImage,
  type RealDocker,
  skipWithoutRealDocker,
  startRealDocker,
} from '../src/testing/index';
import { exportToBuffer, importBuffer, lastJson, sha256 } from './support/data-streams';

/**
 * export-data and import-data, docker runtime, between two real Docker engines (two private dockerd,
 * two "hosts"): the volume leaves through `docker cp` of the stopped container and arrives in a fresh
 * volume through a created, never started, container of the agent's image.
 */
const skip = skipWithoutRealDocker('scripts-real-docker-data');

let engines: RealDocker[] = [];
let source: LocalTransport;
let target: LocalTransport;
let image: string;

beforeAll(async () => {
  if (skip) return;
  engines = await Promise.all([startRealDocker(), startRealDocker()]);
  const [images] = await Promise.all([Promise.all(engines.map((engine) => buildSampleAgentImage(engine)))]);
  image = images[0]!;
  source = new LocalTransport({ env: engines[0]!.env });
  target = new LocalTransport({ env: engines[1]!.env });
}, 180_000);
afterAll(async () => {
  await source?.close();
  await target?.close();
  await Promise.all(engines.map((engine) => engine.stop()));
}, 90_000);

const input = (username: string) => ({
  username,
  agentId: `id-${username}`,
  cpus: 1,
  memoryMb: 128,
  image,
  domain: 'localhost',
});

/** Runs node inside the agent's container (the image has no shell). */
const nodeIn = (engine: RealDocker, username: string, code: string) =>
  engine.docker(['exec', `ps-agent-${username}`, '/usr/local/bin/node', '-e', code]);

describe.skipIf(skip)('export-data and import-data, docker runtime, two engines', () => {
  it("moves a volume's files to the other engine; refuses a running agent, a wrong checksum, too much data", async () => {
    const [a, b] = engines as [RealDocker, RealDocker];
    expect(await provisionAgent(source, input('jade'))).toMatchObject({
      runtime: 'docker',
      state: 'running',
    });
    await nodeIn(
      a,
      'jade',
      "const fs=require('fs');fs.mkdirSync('/a0/usr/memory',{recursive:true});fs.writeFileSync('/a0/usr/memory/notes.txt','kept across hosts')",
    );

    const running = await exportToBuffer(source, 'jade');
    expect(running.code).toBe(11);
    expect(lastJson(running.stderr)).toMatchObject({ error: { code: 'agent_running' } });

    await stopAgent(source, 'jade');
    const exported = await exportToBuffer(source, 'jade');
    expect(exported.code, exported.stderr).toBe(0);

    const tooLarge = await importBuffer(target, 'jade', exported.data, { maxBytes: 512, image });
    expect(tooLarge.code).toBe(12);
    const mismatch = await importBuffer(target, 'jade', exported.data, { sha256: 'f'.repeat(64), image });
    expect(mismatch.code).toBe(13);
    // Neither refusal left a volume behind.
    expect(await b.docker(['volume', 'ls', '--quiet'])).not.toContain('ps-agent-jade-data');

    const imported = await importBuffer(target, 'jade', exported.data, { image });
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(lastJson(imported.stdout)).toMatchObject({
      ok: true,
      runtime: 'docker',
      sha256: sha256(exported.data),
    });
    // The throwaway container is gone; the volume carries provision's labels.
    expect(await b.docker(['ps', '--all', '--quiet', '--filter', 'name=ps-agent-jade-import'])).toBe('');
    expect(
      await b.docker([
        'volume',
        'inspect',
        '--format',
        '{{index .Labels "pocket-smyth.username"}}',
        'ps-agent-jade-data',
      ]),
    ).toBe('jade\n');

    expect(await provisionAgent(target, input('jade'))).toMatchObject({ state: 'running' });
    expect(
      await nodeIn(
        b,
        'jade',
        "process.stdout.write(require('fs').readFileSync('/a0/usr/memory/notes.txt','utf8'))",
      ),
    ).toBe('kept across hosts');

    // Importing again (a retried step) replaces the agent left there and its volume.
    const again = await importBuffer(target, 'jade', exported.data, { image });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await b.docker(['ps', '--all', '--quiet', '--filter', 'name=^ps-agent-jade$'])).toBe('');

    await deprovisionAgent(source, 'jade');
    await deprovisionAgent(target, 'jade');
  }, 180_000);
});
