import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AgentEnvVar,
  agentEnvFile,
  deprovisionAgent,
  LocalTransport,
  type ProvisionInput,
  provisionAgent,
  provisionArgs,
  restartAgent,
} from '../src/index';
import { watchForSecret } from './support/secret-watch';

/**
 * An agent's environment variables through the real provision script, process runtime: they reach the
 * agent's own environment (/proc/<pid>/environ), and never a command line (watched during the call),
 * the script's output or the agent's log; the private env file is gone after the call.
 */
const stateDir = mkdtempSync(path.join(tmpdir(), 'ps-env-agents-'));
// The scripts' TMPDIR, so the test can see the private env file while it exists and that it is gone.
const scriptTmp = path.join(stateDir, '.tmp');
mkdirSync(scriptTmp);
const transport = new LocalTransport({
  env: {
    AGENT_RUNTIME: 'process',
    AGENT_STATE_DIR: stateDir,
    AGENT_LOCK_DIR: path.join(stateDir, '.locks'),
    TMPDIR: scriptTmp,
  },
});
const input = (env?: AgentEnvVar[]): ProvisionInput => ({
  username: 'gina',
  // Its own id, so the watch's marker matches this file's calls only (other files run scripts at once).
  agentId: 'id-env-gina',
  cpus: 1,
  memoryMb: 128,
  domain: 'localhost',
  ...(env ? { env } : {}),
});
const SECRET = `sk-test-${crypto.randomUUID()}`;

const pid = () => Number(readFileSync(path.join(stateDir, 'gina', 'pid'), 'utf8'));
function environ(processId: number): Record<string, string> {
  const pairs = readFileSync(`/proc/${processId}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

afterAll(async () => {
  await deprovisionAgent(transport, 'gina').catch(() => undefined);
  await transport.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('agent environment, process runtime', () => {
  it('(the watch itself) catches a secret on a command line', async () => {
    const watch = watchForSecret(SECRET);
    // A process that keeps the secret in its argv for a while (bash -c would exec sleep and drop it).
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 500)', SECRET]);
    await new Promise((resolve) => child.on('close', resolve));
    await watch.stop();
    expect(watch.hits.length).toBeGreaterThan(0);
  });

  it('reaches the agent, never a command line, an output or a leftover file', async () => {
    const vars = [
      { name: 'OPENAI_API_KEY', value: SECRET },
      { name: 'GREETING', value: 'a = b, with spaces  ' },
    ];
    const watch = watchForSecret(SECRET, { marker: 'id-env-gina', dir: scriptTmp });
    // The agent's lock held for a second, so the script waits at it, alive, whatever the machine's
    // load: the watch cannot miss its command line however long one sweep of /proc takes.
    mkdirSync(path.join(stateDir, '.locks'), { recursive: true });
    const holder = spawn('flock', [path.join(stateDir, '.locks', 'gina.lock'), 'sleep', '1']);
    const released = new Promise((resolve) => holder.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const result = await transport.exec('provision', [...provisionArgs(input()), 'stdin'], {
      stdin: agentEnvFile(vars),
    });
    await released;
    await watch.stop();

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ changed: true, state: 'running' });
    expect(watch.hits).toEqual([]);
    // The watch saw the call's own processes: it was looking while the script ran.
    expect(watch.markerSeen.some((line) => line.includes('infra/host/provision'))).toBe(true);
    // The private file existed during the call, mode 0600 in a 0700 directory, and is gone after it.
    const modes = [...watch.fileModes.entries()];
    expect(modes.some(([file, mode]) => file.endsWith('/env') && mode === '600')).toBe(true);
    expect(modes.filter(([file]) => !file.endsWith('/env')).every(([, mode]) => mode === '700')).toBe(true);
    expect(readdirSync(scriptTmp)).toEqual([]);

    const env = environ(pid());
    expect(env.OPENAI_API_KEY).toBe(SECRET);
    expect(env.GREETING).toBe('a = b, with spaces  ');
    for (const text of [
      result.stdout,
      result.stderr,
      readFileSync(path.join(stateDir, 'gina', 'agent.log'), 'utf8'),
    ])
      expect(text).not.toContain(SECRET);
    // The agent's copy for its later starts: owner-only.
    expect((statSync(path.join(stateDir, 'gina', 'env')).mode & 0o777).toString(8)).toBe('600');
  });

  it('the same variables change nothing; a new value restarts the agent with it; restart keeps it', async () => {
    const before = pid();
    const same = await provisionAgent(
      transport,
      input([
        { name: 'GREETING', value: 'a = b, with spaces  ' },
        { name: 'OPENAI_API_KEY', value: SECRET },
      ]),
    );
    expect(same).toMatchObject({ changed: false, state: 'running' });
    expect(pid()).toBe(before);

    const changed = await provisionAgent(
      transport,
      input([{ name: 'OPENAI_API_KEY', value: `${SECRET}-2` }]),
    );
    expect(changed).toMatchObject({ changed: true, state: 'running' });
    expect(pid()).not.toBe(before);
    expect(environ(pid()).OPENAI_API_KEY).toBe(`${SECRET}-2`);
    expect(environ(pid()).GREETING).toBeUndefined();

    await restartAgent(transport, 'gina');
    expect(environ(pid()).OPENAI_API_KEY).toBe(`${SECRET}-2`);
    expect(readdirSync(scriptTmp)).toEqual([]);
  });

  it('no variables any more: the agent restarts without them and its copy is removed', async () => {
    const before = pid();
    const result = await provisionAgent(transport, input());
    expect(result).toMatchObject({ changed: true, state: 'running' });
    expect(pid()).not.toBe(before);
    expect(environ(pid()).OPENAI_API_KEY).toBeUndefined();
    expect(() => statSync(path.join(stateDir, 'gina', 'env'))).toThrow();
  });

  it('the host refuses a reserved name or a malformed line without echoing the value', async () => {
    for (const file of [`PATH=${SECRET}\n`, `lower=${SECRET}\n`, `NOEQUALS${SECRET}\n`]) {
      const result = await transport.exec('provision', [...provisionArgs(input()), 'stdin'], {
        stdin: Buffer.from(file),
      });
      expect(result.code).toBe(4);
      expect(JSON.parse(result.stdout).error.code).toBe('invalid_argument');
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
    expect(readdirSync(scriptTmp)).toEqual([]);
  });
});
