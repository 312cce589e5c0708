import { afterAll, describe, expect, it } from 'vitest';
import { LocalTransport } from '../src/index';
import { createFixtureScripts } from './support/fixture-scripts';

/** What a local script's environment is made of: the base the app passes, filtered, plus the host's env. */
describe('the local transport environment', () => {
  const scripts = createFixtureScripts({ 'host-stats': 'env -0' });
  afterAll(() => scripts.remove());

  const envOf = (stdout: string) =>
    Object.fromEntries(
      stdout
        .split('\0')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );

  it('starts from the base environment given, keeping what scripts need, under the host env', async () => {
    const transport = new LocalTransport({
      scriptsDir: scripts.dir,
      baseEnv: {
        PATH: '/usr/bin:/bin',
        HOME: '/home/worker',
        AGENT_STATE_DIR: '/srv/agents',
        DOCKER_HOST: 'unix:///run/docker.sock',
        DATABASE_URL: 'postgres://secret@db/queue',
        HOST_KEY_ENCRYPTION_KEY: 'secret',
        // AGENT_-named, but the worker's own key, never the scripts' (nor a process agent's).
        AGENT_SECRETS_KEY: 'secret',
        AGENT_RUNTIME: 'process',
      },
      env: { AGENT_RUNTIME: 'docker' },
    });
    const result = await transport.exec('host-stats', []);
    expect(result.code).toBe(0);
    const env = envOf(result.stdout);
    expect(env).toMatchObject({
      PATH: '/usr/bin:/bin',
      HOME: '/home/worker',
      AGENT_STATE_DIR: '/srv/agents',
      DOCKER_HOST: 'unix:///run/docker.sock',
      AGENT_RUNTIME: 'docker',
    });
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(env).not.toHaveProperty('HOST_KEY_ENCRYPTION_KEY');
    expect(env).not.toHaveProperty('AGENT_SECRETS_KEY');
  });
});
