import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this package lives at tooling/repo-checks). */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: {
    name: string;
    exports?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
}

/** Every package of the workspace (the folders pnpm-workspace.yaml names). */
export function workspacePackages(): WorkspacePackage[] {
  const dirs = ['apps', 'packages', 'tooling'].flatMap((parent) =>
    readdirSync(path.join(repoRoot, parent)).map((name) => path.join(repoRoot, parent, name)),
  );
  dirs.push(path.join(repoRoot, 'e2e'), path.join(repoRoot, 'bench'));
  return dirs.flatMap((dir) => {
    const file = path.join(dir, 'package.json');
    try {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as WorkspacePackage['manifest'];
      return [{ name: manifest.name, dir, manifest }];
    } catch {
      return [];
    }
  });
}

/** Source files under `dir` with one of `extensions`, skipping dependencies and build output. */
export function sourceFiles(dir: string, extensions = ['.ts', '.tsx', '.mts', '.mjs', '.js']): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      if (entry === 'node_modules' || entry === '.next' || entry === 'dist' || entry.startsWith('.'))
        continue;
      const full = path.join(at, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (extensions.some((ext) => entry.endsWith(ext)) && !entry.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** The module specifiers a file imports or re-exports (static and dynamic `import('…')`). */
export function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(statement)) found.push({ specifier: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ specifier: m[1]!, typeOnly: false });
  }
  return found;
}

/** A cycle in `graph` (node → its edges) as a path that returns to its start, or null. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}
