import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbEnv, dbSettings } from '../src/env';
import { agentStateDir, dataDir, workspaceRoot } from '../src/paths';

describe('the db env fragment', () => {
  it('defaults to app.db under .data/ of the workspace', () => {
    const dataDir = path.join(workspaceRoot(), '.data');
    expect(dbSettings(dbEnv.parse({}))).toEqual({
      dataDir,
      libsqlUrl: `file:${path.join(dataDir, 'app.db')}`,
      libsqlAuthToken: undefined,
    });
  });

  it('puts the libSQL file in DATA_DIR, a relative one resolved against the workspace root', () => {
    const settings = dbSettings(dbEnv.parse({ DATA_DIR: 'some/dir' }));
    expect(settings.dataDir).toBe(path.join(workspaceRoot(), 'some/dir'));
    expect(settings.libsqlUrl).toBe(`file:${path.join(workspaceRoot(), 'some/dir', 'app.db')}`);
  });

  it('resolves a relative DATA_DIR to one place whichever app folder is the working directory', () => {
    // Each app runs with its own folder as cwd: web, worker and dev:stop must still share one DATA_DIR.
    const root = workspaceRoot();
    const cwds = [
      root,
      path.join(root, 'apps/web'),
      path.join(root, 'apps/worker'),
      path.join(root, 'packages/postgres'),
    ];
    for (const cwd of cwds) {
      expect(dataDir('.data-x', cwd)).toBe(path.join(root, '.data-x'));
      expect(dataDir('./var/ps', cwd)).toBe(path.join(root, 'var/ps'));
      expect(dataDir(undefined, cwd)).toBe(path.join(root, '.data'));
      expect(dataDir('/srv/ps', cwd)).toBe('/srv/ps');
    }
  });

  // Three tsx processes, one after the other: seconds each on a busy machine, hence the time limit.
  it('gives web, worker and dev:stop the same DATA_DIR when each runs in its own folder', {
    timeout: 60_000,
  }, () => {
    const root = workspaceRoot();
    const tsx = path.join(root, 'packages/db/node_modules/.bin/tsx');
    const envModule = path.join(root, 'packages/db/src/env.ts');
    const code = `import('${envModule}').then((m) => console.log(m.dbSettings(m.dbEnv.parse({ DATA_DIR: process.env.DATA_DIR })).dataDir))`;
    for (const app of ['apps/web', 'apps/worker', 'packages/postgres']) {
      const out = execFileSync(tsx, ['-e', code], {
        cwd: path.join(root, app),
        env: { ...process.env, DATA_DIR: 'rel-data' },
        encoding: 'utf8',
      });
      expect(out.trim(), app).toBe(path.join(root, 'rel-data'));
    }
  });

  it("keeps the process runtime's agent state under DATA_DIR unless AGENT_STATE_DIR says otherwise", () => {
    const root = workspaceRoot();
    for (const cwd of [path.join(root, 'apps/web'), path.join(root, 'apps/worker')]) {
      expect(agentStateDir(undefined, dataDir(undefined, cwd), cwd)).toBe(path.join(root, '.data', 'agents'));
      expect(agentStateDir('', dataDir('rel-data', cwd), cwd)).toBe(path.join(root, 'rel-data', 'agents'));
      expect(agentStateDir(undefined, '/srv/ps', cwd)).toBe('/srv/ps/agents');
      expect(agentStateDir('state/agents', '/srv/ps', cwd)).toBe(path.join(root, 'state/agents'));
      expect(agentStateDir('/var/agents', '/srv/ps', cwd)).toBe('/var/agents');
    }
  });

  it('takes LIBSQL_URL and its token as given, and refuses what is not a libSQL URL', () => {
    expect(
      dbSettings(
        dbEnv.parse({ LIBSQL_URL: 'libsql://db.turso.io', LIBSQL_AUTH_TOKEN: 'tok', DATA_DIR: '/srv/x' }),
      ),
    ).toEqual({ dataDir: '/srv/x', libsqlUrl: 'libsql://db.turso.io', libsqlAuthToken: 'tok' });
    expect(dbEnv.safeParse({ LIBSQL_URL: '.data/app.db' }).error?.issues[0]?.path).toEqual(['LIBSQL_URL']);
  });
});
