import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbEnv, dbSettings } from '../src/env';
import { workspaceRoot } from '../src/paths';

describe('the db env fragment', () => {
  it('defaults to app.db under .data/ of the workspace', () => {
    const dataDir = path.join(workspaceRoot(), '.data');
    expect(dbSettings(dbEnv.parse({}))).toEqual({
      dataDir,
      libsqlUrl: `file:${path.join(dataDir, 'app.db')}`,
      libsqlAuthToken: undefined,
    });
  });

  it('puts the libSQL file in DATA_DIR, resolved against the working directory', () => {
    const settings = dbSettings(dbEnv.parse({ DATA_DIR: 'some/dir' }));
    expect(settings.dataDir).toBe(path.resolve('some/dir'));
    expect(settings.libsqlUrl).toBe(`file:${path.resolve('some/dir', 'app.db')}`);
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
