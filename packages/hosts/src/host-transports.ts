import { type HostConfig, hostConfigSchema } from './host-config';
import { LocalTransport } from './local-transport';
import { SshTransport } from './ssh-transport';
import type { HostTransport } from './transport';

export interface TransportDefaults {
  /** Scripts directory for both transports (tests point it at fixtures); infra/host by default. */
  scriptsDir?: string;
  /** For encrypted private keys: HOST_KEY_ENCRYPTION_KEY, parsed (see ./private-key); required for them. */
  encryptionKey?: Buffer;
}

export function createHostTransport(config: HostConfig, defaults: TransportDefaults = {}): HostTransport {
  const host = hostConfigSchema.parse(config);
  if (host.transport === 'local') {
    return new LocalTransport({
      scriptsDir: defaults.scriptsDir,
      env: host.env,
      commandTimeoutMs: host.commandTimeoutMs,
    });
  }
  return new SshTransport({
    host: host.address,
    port: host.port,
    username: host.user,
    privateKey: host.privateKey,
    hostKeyFingerprint: host.hostKeyFingerprint,
    maxChannels: host.maxChannels,
    connectTimeoutMs: host.connectTimeoutMs,
    commandTimeoutMs: host.commandTimeoutMs,
    env: host.env,
    remoteScriptsRoot: host.scriptsRoot,
    scriptsDir: defaults.scriptsDir,
    encryptionKey: defaults.encryptionKey,
  });
}

/**
 * One transport, and so one pooled connection, per host for the life of the worker. A host whose
 * connection settings change (address, key, pin, …) gets a fresh transport; the old one is closed.
 */
export class HostTransports {
  readonly #defaults: TransportDefaults;
  readonly #byHost = new Map<string, { settings: string; transport: HostTransport }>();

  constructor(defaults: TransportDefaults = {}) {
    this.#defaults = defaults;
  }

  get(config: HostConfig): HostTransport {
    const { capacity: _capacity, status: _status, name: _name, ...connection } = config;
    const settings = JSON.stringify(connection);
    const existing = this.#byHost.get(config.id);
    if (existing?.settings === settings) return existing.transport;
    if (existing) void existing.transport.close();
    const transport = createHostTransport(config, this.#defaults);
    this.#byHost.set(config.id, { settings, transport });
    return transport;
  }

  /** Closes the transport of a host that was removed. */
  async forget(hostId: string): Promise<void> {
    const existing = this.#byHost.get(hostId);
    this.#byHost.delete(hostId);
    await existing?.transport.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.#byHost.values()];
    this.#byHost.clear();
    await Promise.all(all.map(({ transport }) => transport.close()));
  }
}
