import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { quoteRemotePath, quoteShellArg } from './shell-quote';

/**
 * The host scripts as the ssh transport ships them: every file under the scripts directory except
 * documentation and test doubles, and a hash of their paths, modes and contents. A host keeps each
 * version in its own directory named by the hash, so an upgrade never half-overwrites a version
 * that a running script is reading, and an unchanged version is never sent twice.
 */
export interface ScriptBundle {
  hash: string;
  files: Array<{ path: string; executable: boolean; content: Buffer }>;
}

// testing/ holds the fake docker: it must never land on a real host's PATH-adjacent directories.
const EXCLUDED_DIRS = new Set(['testing', 'node_modules']);

export function readScriptBundle(scriptsDir: string): ScriptBundle {
  const files: ScriptBundle['files'] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(scriptsDir, relative), { withFileTypes: true })) {
      const entryPath = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!EXCLUDED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(entryPath);
      } else if (entry.isFile() && !entry.name.endsWith('.md') && !entry.name.startsWith('.')) {
        const absolute = path.join(scriptsDir, entryPath);
        files.push({
          path: entryPath,
          executable: (statSync(absolute).mode & 0o111) !== 0,
          content: readFileSync(absolute),
        });
      }
    }
  };
  walk('');
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file.path}\0${file.executable ? 'x' : '-'}\0${file.content.length}\0`);
    hash.update(file.content);
  }
  return { hash: hash.digest('hex').slice(0, 24), files };
}

/** Where a bundle lives on the host, as a shell word. */
export function remoteBundleDir(remoteRoot: string, bundle: ScriptBundle): string {
  return quoteRemotePath(`${remoteRoot.replace(/\/+$/, '')}/${bundle.hash}`);
}

/**
 * A bash program, fed to `bash -s` on stdin, that writes the bundle into a temporary directory and
 * renames it into place. Two connections installing at once both succeed: the loser's rename fails
 * and it removes its copy. Contents travel as base64 in quoted here-documents, so no byte of a file
 * is ever read by the shell as code.
 */
export function bundleInstaller(remoteRoot: string, bundle: ScriptBundle): string {
  const target = remoteBundleDir(remoteRoot, bundle);
  const lines = [
    'set -euo pipefail',
    'umask 022',
    `target=${target}`,
    'if [ -f "$target/.installed" ]; then exit 0; fi',
    'mkdir -p "$(dirname -- "$target")"',
    'staging="$target.staging.$$"',
    'rm -rf -- "$staging"',
    'mkdir -p -- "$staging"',
  ];
  const dirs = new Set<string>();
  for (const file of bundle.files) {
    const dir = path.posix.dirname(file.path);
    if (dir !== '.' && !dirs.has(dir)) {
      dirs.add(dir);
      lines.push(`mkdir -p -- "$staging"/${quoteShellArg(dir)}`);
    }
    const delimiter = 'POCKET_SMYTH_END_OF_FILE';
    lines.push(`base64 -d > "$staging"/${quoteShellArg(file.path)} <<'${delimiter}'`);
    lines.push(...(file.content.toString('base64').match(/.{1,76}/g) ?? []));
    lines.push(delimiter);
    lines.push(`chmod ${file.executable ? '755' : '644'} -- "$staging"/${quoteShellArg(file.path)}`);
  }
  lines.push(
    'touch -- "$staging/.installed"',
    // Portable rename (no GNU mv -T); if another connection won the race, its copy stays.
    'if [ -e "$target" ] || ! mv -- "$staging" "$target" 2>/dev/null; then rm -rf -- "$staging"; fi',
    'test -f "$target/.installed"',
    '',
  );
  return lines.join('\n');
}
