import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { importsOf, type WorkspacePackage } from './workspace';

const candidates = ['', '.ts', '.tsx', '.mts', '.mjs', '.js', '/index.ts', '/index.tsx'];

function resolveFile(base: string): string | null {
  for (const suffix of candidates) {
    const file = base + suffix;
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/**
 * Resolves the specifiers this repository uses between its own files: relative paths, the web app's
 * `~/` alias and `@pocket-smyth/<pkg>[/<subpath>]` through the package's `exports`. Anything else is
 * outside the repository (null).
 */
export function createResolver(packages: readonly WorkspacePackage[], webSrc: string) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  return (specifier: string, fromFile: string): string | null => {
    if (specifier.startsWith('.')) return resolveFile(path.resolve(path.dirname(fromFile), specifier));
    if (specifier.startsWith('~/')) return resolveFile(path.join(webSrc, specifier.slice(2)));
    const m = /^(@pocket-smyth\/[^/]+)(\/.+)?$/.exec(specifier);
    if (!m) return null;
    const pkg = byName.get(m[1]!);
    const target = pkg?.manifest.exports?.[`.${m[2] ?? ''}`];
    if (!pkg || !target) return null;
    return resolveFile(path.join(pkg.dir, target));
  };
}

/** Files reachable from `entries` through value imports (type-only imports vanish from bundles). */
export function reachableFiles(
  entries: readonly string[],
  resolve: (specifier: string, fromFile: string) => string | null,
): Map<string, string | null> {
  const parentOf = new Map<string, string | null>(entries.map((e) => [e, null]));
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const { specifier, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
      if (typeOnly) continue;
      const target = resolve(specifier, file);
      if (target && !parentOf.has(target)) {
        parentOf.set(target, file);
        queue.push(target);
      }
    }
  }
  return parentOf;
}

/** The import chain from an entry to `file`, for a readable failure. */
export function chainTo(file: string, parentOf: ReadonlyMap<string, string | null>, root: string): string {
  const chain: string[] = [];
  for (let at: string | null | undefined = file; at; at = parentOf.get(at))
    chain.unshift(path.relative(root, at));
  return chain.join(' → ');
}
