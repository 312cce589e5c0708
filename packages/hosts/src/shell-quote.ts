/**
 * POSIX shell quoting for the one place a string has to be built: the command line of an SSH exec,
 * which the server hands to the login shell. Each argument becomes a single-quoted word; a single
 * quote inside it is closed, escaped and reopened ('\''). Inside single quotes the shell expands
 * nothing, so the word arrives as the exact bytes it was.
 */
export function quoteShellArg(value: string): string {
  if (value.includes('\0')) {
    // argv entries are C strings: a NUL would silently cut the argument short.
    throw new TypeError('a shell argument cannot contain a NUL character');
  }
  return `'${value.replaceAll("'", "'\\''")}'`;
}

export function quoteShellArgs(values: readonly string[]): string {
  return values.map(quoteShellArg).join(' ');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The words `env 'K=V' ...` that set an environment for the command after them (none when `env` is
 * empty). Names are checked rather than quoted, because a name is not data.
 */
export function envAssignmentWords(env: Readonly<Record<string, string>>): string[] {
  const assignments = Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name)) throw new TypeError(`invalid environment variable name: ${name}`);
    return quoteShellArg(`${name}=${value}`);
  });
  return assignments.length > 0 ? ['env', ...assignments] : [];
}

/**
 * A remote path as a shell word. `~/x` becomes "$HOME"/'x' so it follows the login user's home;
 * anything else is quoted as it is.
 */
export function quoteRemotePath(remotePath: string): string {
  if (remotePath === '~') return '"$HOME"';
  if (remotePath.startsWith('~/')) return `"$HOME"/${quoteShellArg(remotePath.slice(2))}`;
  return quoteShellArg(remotePath);
}
