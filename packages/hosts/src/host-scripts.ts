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
] as const;

export type HostScript = (typeof HOST_SCRIPTS)[number];

export function isHostScript(name: string): name is HostScript {
  return (HOST_SCRIPTS as readonly string[]).includes(name);
}

/** infra/host in this repository: what the local transport runs and the ssh transport uploads. */
export const DEFAULT_SCRIPTS_DIR = fileURLToPath(new URL('../../../infra/host/', import.meta.url));
