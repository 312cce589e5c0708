import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SCRIPTS_DIR, type HostScript } from '../../src/index';

/**
 * A scripts directory whose scripts are test fixtures instead of the real ones, for checks that
 * need a script to do something the real ones never do (echo its argv, hang, count). It carries
 * the real lib/channel-guard.sh, since that is how the ssh transport runs every script.
 */
export function createFixtureScripts(scripts: Partial<Record<HostScript, string>>): {
  dir: string;
  remove(): void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'ps-fixture-scripts-'));
  mkdirSync(path.join(dir, 'lib'));
  copyFileSync(
    path.join(DEFAULT_SCRIPTS_DIR, 'lib', 'channel-guard.sh'),
    path.join(dir, 'lib', 'channel-guard.sh'),
  );
  for (const [name, body] of Object.entries(scripts)) {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Prints each argument followed by a NUL byte: the exact argv, whatever bytes it holds. */
export const ECHO_ARGS_SCRIPT = `printf '%s\\0' "$@"`;

/** Splits ECHO_ARGS_SCRIPT output back into the argv. */
export function parseEchoedArgs(stdout: string): string[] {
  const parts = stdout.split('\0');
  parts.pop();
  return parts;
}

/**
 * Strings that would do damage if any layer let a shell interpret them: command substitution,
 * separators, quotes of every kind, globs, newlines, option lookalikes, the empty string.
 */
export function hostileArgs(canaryFile: string): string[] {
  return [
    `x; touch ${canaryFile}`,
    `$(touch ${canaryFile})`,
    `\`touch ${canaryFile}\``,
    `' ; touch ${canaryFile} ; '`,
    `" ; touch ${canaryFile} ; "`,
    `'"'"'`,
    `a && touch ${canaryFile}`,
    `| touch ${canaryFile}`,
    `> ${canaryFile}`,
    `line1\nline2; touch ${canaryFile}`,
    '*',
    '~',
    '$HOME',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the point
    '${PATH}',
    '\\',
    "it's",
    '-n',
    '--',
    ' leading and trailing spaces ',
    '\ttab',
    'ünïcødé ✓',
    '!!',
    '',
  ];
}
