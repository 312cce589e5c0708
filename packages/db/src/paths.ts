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
 * The home of every embedded default (libSQL file, Postgres, development auth secret, agent state):
 * `configured` (DATA_DIR, read by `@pocket-smyth/db/env`), a relative one resolved against the workspace
 * root, else `.data/` under the workspace root. Never against the working directory: web, worker and
 * `dev:stop` each run in their own folder and must still find one DATA_DIR.
 */
export function dataDir(configured?: string | null, cwd: string = process.cwd()): string {
  const root = workspaceRoot(cwd);
  return configured
    ? path.resolve(/*turbopackIgnore: true*/ root, configured)
    : path.join(/*turbopackIgnore: true*/ root, '.data');
}

/**
 * The process runtime's agent state (AGENT_STATE_DIR: each agent's pid, port, log and data): `configured`,
 * a relative one resolved against the workspace root, else `agents/` in `dataDirectory` (DATA_DIR, as
 * `dataDir` resolves it). The worker hands it to the local host's scripts and the web app reads the
 * agents' port files there, so both must name one place, and never the home directory: two installs on
 * one machine keep their agents apart. apps/web/src/server/agent-upstream-rule.mjs holds the same rule
 * for server.mjs, which cannot import this file.
 */
export function agentStateDir(
  configured: string | null | undefined,
  dataDirectory: string,
  cwd: string = process.cwd(),
): string {
  return configured
    ? path.resolve(/*turbopackIgnore: true*/ workspaceRoot(cwd), configured)
    : path.join(/*turbopackIgnore: true*/ dataDirectory, 'agents');
}

/** The libSQL file of the embedded default: `app.db` in `directory` (default: `dataDir()`). */
export function defaultLibsqlUrl(directory: string = dataDir()): string {
  return `file:${path.join(/*turbopackIgnore: true*/ directory, 'app.db')}`;
}

export function migrationsFolder(): string {
  return path.join(/*turbopackIgnore: true*/ workspaceRoot(), 'packages', 'db', 'drizzle');
}
