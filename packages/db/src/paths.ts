import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The workspace root, found by walking up from the working directory. Apps run with their own folder as
 * cwd (and Next bundles this file), so module-relative paths are not reliable; the workspace marker is.
 */
export function workspaceRoot(from = process.cwd()): string {
  let dir = path.resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    if (existsSync(path.join(/*turbopackIgnore: true*/ dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(/*turbopackIgnore: true*/ dir);
    if (parent === dir) return path.resolve(/*turbopackIgnore: true*/ from);
    dir = parent;
  }
}

/**
 * The home of every embedded default (libSQL file, Postgres, development auth secret): `configured`
 * (DATA_DIR, read by `@pocket-smyth/db/env`) resolved against the working directory, else `.data/`
 * under the workspace root.
 */
export function dataDir(configured?: string | null): string {
  return configured
    ? path.resolve(/*turbopackIgnore: true*/ configured)
    : path.join(/*turbopackIgnore: true*/ workspaceRoot(), '.data');
}

/** The libSQL file of the embedded default: `app.db` in `directory` (default: `dataDir()`). */
export function defaultLibsqlUrl(directory: string = dataDir()): string {
  return `file:${path.join(/*turbopackIgnore: true*/ directory, 'app.db')}`;
}

export function migrationsFolder(): string {
  return path.join(/*turbopackIgnore: true*/ workspaceRoot(), 'packages', 'db', 'drizzle');
}
