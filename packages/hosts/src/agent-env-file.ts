/**
 * How an agent's environment variables travel to its host: as an env file on the provision script's
 * stdin (infra/host/lib/agent-env.sh), never as arguments. No imports: the worker's jobs build the file
 * from here (`@pocket-smyth/hosts/agent-env-file`) without loading the transports.
 */

export interface AgentEnvVar {
  name: string;
  value: string;
}

/**
 * The provision script's env file (`docker run --env-file`'s format): one `NAME=value` line each,
 * sorted by name so the same variables always give the same bytes (the script's digest of them decides
 * whether the container is recreated). A value cannot hold a line break or NUL: the format has no escape.
 */
export function agentEnvFile(vars: readonly AgentEnvVar[]): Uint8Array {
  const lines = [...vars]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, value }) => {
      if (!/^[A-Z_][A-Z0-9_]{0,63}$/.test(name))
        throw new TypeError(`not an environment variable name: ${name}`);
      if (/[\r\n\0]/.test(value)) throw new TypeError(`${name}: a value cannot hold a line break or NUL`);
      return `${name}=${value}\n`;
    });
  return Buffer.from(lines.join(''), 'utf8');
}

/** The provision call's trailing argument and stdin for these variables (`none` and no input without). */
export function agentEnvDelivery(vars: readonly AgentEnvVar[] | undefined): {
  arg: 'none' | 'stdin';
  stdin?: Uint8Array;
} {
  return vars && vars.length > 0 ? { arg: 'stdin', stdin: agentEnvFile(vars) } : { arg: 'none' };
}
