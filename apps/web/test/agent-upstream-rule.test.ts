/**
 * The agent-upstream rule that the route handlers (src/server/agent-upstream.ts) and server.mjs's
 * WebSocket upgrades share: which URLs are an agent's, what path the agent gets, and where it listens.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { isValidUsername } from '@pocket-smyth/core';
import { agentStateDir, dataDir, workspaceRoot } from '@pocket-smyth/db';
import { afterAll, describe, expect, it } from 'vitest';
import {
  agentMountFor,
  createAgentUpstream,
  DEFAULT_AGENT_UPSTREAM_TEMPLATE,
  defaultAgentStateDir,
  isAgentUsername,
  parseAgentMount,
  readAgentPort,
  resolveAgentStateDir,
  upstreamPathFor,
} from '../src/server/agent-upstream-rule.mjs';

const stateDir = mkdtempSync(path.join(tmpdir(), 'ps-agent-upstream-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function recordPort(username: string, text: string): void {
  mkdirSync(path.join(stateDir, username), { recursive: true });
  writeFileSync(path.join(stateDir, username, 'port'), text);
}

describe('parseAgentMount', () => {
  it('finds the viewer’s own /agent and a named person’s /u/{username}/agent', () => {
    expect(parseAgentMount('/agent')).toEqual({ mount: '', username: null, agentUri: '/agent' });
    expect(parseAgentMount('/agent/chat?x=1')).toEqual({
      mount: '',
      username: null,
      agentUri: '/agent/chat?x=1',
    });
    expect(parseAgentMount('/agent?x=1')?.agentUri).toBe('/agent?x=1');
    expect(parseAgentMount('/u/alice/agent/public/x?y=2')).toEqual({
      mount: '/u/alice',
      username: 'alice',
      agentUri: '/agent/public/x?y=2',
    });
    expect(parseAgentMount('/u/alice/agent')).toEqual({
      mount: '/u/alice',
      username: 'alice',
      agentUri: '/agent',
    });
    expect(parseAgentMount('/u/alice/agent#top')?.agentUri).toBe('/agent#top');
  });

  it('is null for anything else', () => {
    for (const url of [
      '/',
      '/agents',
      '/agentx/y',
      '/api/agent',
      '/u/alice',
      '/u/alice/agents',
      '/u//agent',
      '/u/a/b/agent',
    ]) {
      expect(parseAgentMount(url), url).toBeNull();
    }
  });

  it('mounts a named person at /u/{username}', () => {
    expect(agentMountFor('alice')).toBe('/u/alice');
    expect(parseAgentMount(`${agentMountFor('alice')}/agent/`)?.username).toBe('alice');
  });
});

describe('upstreamPathFor', () => {
  it('passes the path from /agent on unchanged by default', () => {
    expect(upstreamPathFor('/agent/chat?x=1', false)).toBe('/agent/chat?x=1');
    expect(upstreamPathFor('/agent', false)).toBe('/agent');
  });

  it('strips /agent like Traefik’s stripprefix when asked, and only a whole /agent segment', () => {
    expect(upstreamPathFor('/agent/chat?x=1', true)).toBe('/chat?x=1');
    expect(upstreamPathFor('/agent', true)).toBe('/');
    expect(upstreamPathFor('/agent/', true)).toBe('/');
    expect(upstreamPathFor('/agent?x=1', true)).toBe('/?x=1');
    expect(upstreamPathFor('/agentx', true)).toBe('/agentx');
  });
});

describe('isAgentUsername', () => {
  it('takes the shape of a username and nothing that could leave the state directory', () => {
    for (const name of ['alice', 'bob-2', 'a1b', `a${'b'.repeat(31)}`])
      expect(isAgentUsername(name), name).toBe(true);
    for (const name of [
      '',
      'al',
      'Alice',
      '1abc',
      'ab-',
      'a--b',
      '../etc',
      'a/b',
      'al ice',
      `a${'b'.repeat(32)}`,
    ]) {
      expect(isAgentUsername(name), name).toBe(false);
    }
  });

  it('agrees with packages/core’s username rule on every name that is not reserved', () => {
    const names = [
      'alice',
      'bob-2',
      'a1b',
      'ab',
      'abc-',
      'a--bc',
      'Zed',
      'x'.repeat(33),
      'ñandu',
      'api',
      'root',
    ];
    for (const name of names) {
      if (isValidUsername(name)) expect(isAgentUsername(name), name).toBe(true);
      else if (!['api', 'root'].includes(name)) expect(isAgentUsername(name), name).toBe(false);
    }
  });
});

describe('readAgentPort', () => {
  it('reads the port the process runtime recorded, and nothing that is not a port', async () => {
    recordPort('ports', ' 4123\n');
    expect(await readAgentPort(stateDir, 'ports')).toBe(4123);
    recordPort('ports', '70000');
    expect(await readAgentPort(stateDir, 'ports')).toBeNull();
    recordPort('ports', 'soon');
    expect(await readAgentPort(stateDir, 'ports')).toBeNull();
    expect(await readAgentPort(stateDir, 'nobody')).toBeNull();
  });
});

describe('createAgentUpstream', () => {
  it('fills {port} from the port file under the state directory (default template)', async () => {
    recordPort('alice', '4001\n');
    const upstream = createAgentUpstream({ stateDir });
    expect(await upstream.origin('alice')).toBe('http://127.0.0.1:4001');
    expect(await upstream.origin('nobody')).toBeNull();
    expect(upstream.path('/agent/x')).toBe('/agent/x');
  });

  it('fills {username} and needs no port file without {port}; trailing slashes go', async () => {
    const upstream = createAgentUpstream({
      template: 'http://ps-agent-{username}:80/',
      stateDir,
      stripPrefix: true,
    });
    expect(await upstream.origin('nobody')).toBe('http://ps-agent-nobody:80');
    expect(upstream.path('/agent/x?y=1')).toBe('/x?y=1');
  });

  it('has no upstream for what is not a username, whatever the template', async () => {
    const upstream = createAgentUpstream({ template: 'http://{username}.internal', stateDir });
    expect(await upstream.origin('../alice')).toBeNull();
    expect(await upstream.origin('Alice')).toBeNull();
  });

  it('takes empty settings as unset, like an empty variable', () => {
    expect(DEFAULT_AGENT_UPSTREAM_TEMPLATE).toBe('http://127.0.0.1:{port}');
    expect(defaultAgentStateDir()).toBe(path.join(workspaceRoot(), '.data', 'agents'));
    const upstream = createAgentUpstream({ template: '', stateDir: '' });
    expect(upstream.path('/agent')).toBe('/agent');
  });

  it("keeps agent state under DATA_DIR, never in the home directory: the worker's rule", () => {
    const root = workspaceRoot();
    const settings: Array<[string | undefined, string | undefined]> = [
      [undefined, undefined],
      ['', 'rel-data'],
      [undefined, '/srv/ps'],
      ['state/agents', '/srv/ps'],
      ['/var/agents', undefined],
    ];
    for (const cwd of [path.join(root, 'apps/web'), root]) {
      for (const [configuredState, configuredData] of settings) {
        const worker = agentStateDir(configuredState, dataDir(configuredData, cwd), cwd);
        expect(resolveAgentStateDir({ stateDir: configuredState, dataDir: configuredData, cwd })).toBe(
          worker,
        );
        expect(worker.startsWith(path.join(homedir(), '.pocket-smyth'))).toBe(false);
      }
    }
    expect(defaultAgentStateDir('/srv/ps')).toBe('/srv/ps/agents');
  });

  it('reads the port files in DATA_DIR/agents when AGENT_STATE_DIR is unset', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'ps-agent-data-'));
    try {
      mkdirSync(path.join(data, 'agents', 'carol'), { recursive: true });
      writeFileSync(path.join(data, 'agents', 'carol', 'port'), '4100\n');
      const upstream = createAgentUpstream({ stateDir: '', dataDir: data });
      expect(await upstream.origin('carol')).toBe('http://127.0.0.1:4100');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('reads the port file every time by default', async () => {
    recordPort('bob', '4002');
    const upstream = createAgentUpstream({ stateDir });
    expect(await upstream.origin('bob')).toBe('http://127.0.0.1:4002');
    recordPort('bob', '4003');
    expect(await upstream.origin('bob')).toBe('http://127.0.0.1:4003');
  });

  it('with a port cache, reuses a port for its lifetime, until forgotten or the file is gone', async () => {
    let now = 1_000_000;
    recordPort('carol', '4010');
    const upstream = createAgentUpstream({ stateDir, portCacheMs: 2_000, now: () => now });
    expect(await upstream.origin('carol')).toBe('http://127.0.0.1:4010');
    recordPort('carol', '4011');
    now += 1_999;
    expect(await upstream.origin('carol')).toBe('http://127.0.0.1:4010');
    now += 1;
    expect(await upstream.origin('carol')).toBe('http://127.0.0.1:4011');
    recordPort('carol', '4012');
    upstream.forgetPort('carol');
    expect(await upstream.origin('carol')).toBe('http://127.0.0.1:4012');
    rmSync(path.join(stateDir, 'carol', 'port'));
    now += 5_000;
    expect(await upstream.origin('carol')).toBeNull();
  });
});

describe('one rule, written once', () => {
  const read = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');

  it('reads no environment itself: each caller passes its configuration', () => {
    expect(read('../src/server/agent-upstream-rule.mjs')).not.toMatch(/process\.env/);
  });

  it('is what server.mjs and the route handlers use, with no copy of their own', () => {
    const server = read('../server.mjs');
    const routes = read('../src/server/agent-upstream.ts');
    expect(server).toContain("from './src/server/agent-upstream-rule.mjs'");
    expect(routes).toContain("from './agent-upstream-rule.mjs'");
    for (const source of [server, routes]) {
      // No port-file reading of their own (server.mjs's readFileSync of .env is not one).
      expect(source).not.toMatch(/readFile\(|'\{port\}'|\{2,31\}/);
    }
  });
});
