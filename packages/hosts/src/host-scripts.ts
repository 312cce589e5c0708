import { fileURLToPath } from 'node:url';

/** The scripts in infra/host that a transport may run. Nothing else can be executed on a host. */
export const HOST_SCRIPTS = [
  'provision',
  'restart',
  'stop',
  'deprovision',
  'status',
  'host-stats',
  'logs',
  'export-data',
  'import-data',
] as const;

/**
 * The scripts that move an agent's data, run with `stream` (their data is too large for a string):
 * export-data's stdout is a tar, import-data reads one from stdin.
 */
export const DATA_SCRIPTS = ['export-data', 'import-data'] as const;

export type DataScript = (typeof DATA_SCRIPTS)[number];

export function isDataScript(name: string): name is DataScript {
  return (DATA_SCRIPTS as readonly string[]).includes(name);
}

export type HostScript = (typeof HOST_SCRIPTS)[number];

export function isHostScript(name: string): name is HostScript {
  return (HOST_SCRIPTS as readonly string[]).includes(name);
}

/** infra/host in this repository: what the local transport runs and the ssh transport uploads. */
export const DEFAULT_SCRIPTS_DIR = fileURLToPath(new URL('../../../infra/host/', import.meta.url));
