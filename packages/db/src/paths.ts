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

/** `.data/` under the workspace root: the home of every embedded default (libSQL file, Postgres). */
export function dataDir(): string {
  return process.env.DATA_DIR
    ? path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR)
    : path.join(/*turbopackIgnore: true*/ workspaceRoot(), '.data');
}

export function defaultLibsqlUrl(): string {
  return `file:${path.join(/*turbopackIgnore: true*/ dataDir(), 'app.db')}`;
}

export function migrationsFolder(): string {
  return (
    process.env.MIGRATIONS_DIR ??
    path.join(/*turbopackIgnore: true*/ workspaceRoot(), 'packages', 'db', 'drizzle')
  );
}
