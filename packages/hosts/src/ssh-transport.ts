import { ChannelLimiter } from './channel-limiter';
import { Deadline, raceSignal } from './deadline';
import { HostError } from './host-error';
import { normalizeHostKeyFingerprint } from './host-key';
import {
  type DataScript,
  DEFAULT_SCRIPTS_DIR,
  type HostScript,
  isDataScript,
  isHostScript,
} from './host-scripts';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './local-transport';
import { loadPrivateKey, type PrivateKeyReference } from './private-key-reference';
import { bundleInstaller, readScriptBundle, remoteBundleDir, type ScriptBundle } from './script-bundle';
import { envAssignmentWords, quoteShellArgs } from './shell-quote';
import { SshSession } from './ssh-session';
import type { ExecOptions, ExecResult, HostTransport, StreamOptions } from './transport';

export interface SshTransportOptions {
  host: string;
  port?: number;
  username: string;
  privateKey: PrivateKeyReference;
  /** The pinned host key, `SHA256:…` as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** Channels open at once on the connection; the rest queue. Keep it ≤ the server's MaxSessions (10). */
  maxChannels?: number;
  connectTimeoutMs?: number;
  /** Default for calls that give no timeoutMs. */
  commandTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** Local directory uploaded to the host; infra/host of this repository by default. */
  scriptsDir?: string;
  /** Where bundles live on the host; `~/` is the login user's home. */
  remoteScriptsRoot?: string;
  /** Set for every script on the host (e.g. AGENT_RUNTIME, AGENT_STATE_DIR). */
  env?: Readonly<Record<string, string>>;
  /** For encrypted private keys: HOST_KEY_ENCRYPTION_KEY, parsed (see ./private-key); required for them. */
  encryptionKey?: Buffer;
}

export const DEFAULT_MAX_CHANNELS = 8;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REMOTE_SCRIPTS_ROOT = '~/.pocket-smyth/host-scripts';
const INSTALL_TIMEOUT_MS = 60_000;

/**
 * Runs the host scripts over SSH on one pooled connection: made on first use, made again after it
 * drops, shared by every call, with at most `maxChannels` commands on it at once.
 *
 * Scripts reach the host as a bundle: once per connection the transport checks that
 * `<remoteScriptsRoot>/<bundle hash>/` is installed and, if not, pipes an installer to `bash -s`.
 * Each command is then `env 'K=V'… bash <bundle>/lib/channel-guard.sh <script> 'arg'…`, every
 * data word single-quoted; the guard stops the script when the channel goes away.
 */
export class SshTransport implements HostTransport {
  readonly kind = 'ssh';
  readonly target: string;
  readonly #options: SshTransportOptions;
  readonly #fingerprint: string;
  readonly #limiter: ChannelLimiter;
  readonly #remoteRoot: string;
  #bundle: ScriptBundle | undefined;
  #session: Promise<SshSession> | undefined;
  #closed = false;

  constructor(options: SshTransportOptions) {
    this.#options = options;
    this.#fingerprint = normalizeHostKeyFingerprint(options.hostKeyFingerprint);
    this.#limiter = new ChannelLimiter(options.maxChannels ?? DEFAULT_MAX_CHANNELS);
    this.#remoteRoot = options.remoteScriptsRoot ?? DEFAULT_REMOTE_SCRIPTS_ROOT;
    this.target = `${options.username}@${options.host}:${options.port ?? 22}`;
  }

  /** Channels in use and calls waiting for one. */
  get load(): { active: number; queued: number; limit: number } {
    return { active: this.#limiter.active, queued: this.#limiter.queued, limit: this.#limiter.limit };
  }

  exec(script: HostScript, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (!isHostScript(script)) return Promise.reject(new TypeError(`not a host script: ${String(script)}`));
    // Under the channel guard, which stops the script when the channel's stdin ends. The guard hands
    // the script the first N bytes of that stdin (the rest of which stays its stop signal); N is a
    // number we counted, the bytes never part of the command line.
    const guard = [
      'lib/channel-guard.sh',
      ...(options.stdin ? [`--stdin-bytes ${options.stdin.byteLength}`] : []),
    ];
    return this.#onChannel(script, [...guard, script], args, options, (session, command, signal) =>
      session.run(command, signal, {
        holdStdinOpen: true,
        ...(options.stdin ? { stdin: options.stdin } : {}),
      }),
    );
  }

  /** A data script with its streams on the channel; run without the guard (see SshSession.stream). */
  stream(script: DataScript, args: readonly string[], options: StreamOptions): Promise<ExecResult> {
    if (!isDataScript(script)) return Promise.reject(new TypeError(`not a data script: ${String(script)}`));
    return this.#onChannel(script, [script], args, options, (session, command, signal) =>
      session.stream(command, signal, options),
    );
  }

  async #onChannel(
    script: string,
    bundleWords: readonly string[],
    args: readonly string[],
    options: Pick<ExecOptions, 'signal' | 'timeoutMs'>,
    run: (session: SshSession, command: string, signal: AbortSignal) => Promise<ExecResult>,
  ): Promise<ExecResult> {
    if (this.#closed) throw new Error(`the ssh transport to ${this.target} is closed`);
    const bundle = this.#scriptBundle();
    const [file, ...rest] = bundleWords;
    // Built before anything is sent: quoting rejects what cannot be an argument (a NUL byte).
    const command = [
      ...envAssignmentWords(this.#options.env ?? {}),
      'bash',
      `${remoteBundleDir(this.#remoteRoot, bundle)}/${file}`,
      ...rest,
      quoteShellArgs(args),
    ]
      .filter((word) => word !== '')
      .join(' ');

    const deadline = new Deadline(
      options.timeoutMs ?? this.#options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      options.signal,
      `${script} on ${this.target}`,
    );
    try {
      const release = await this.#limiter.acquire(deadline.signal);
      try {
        const session = await raceSignal(this.#connectedSession(), deadline.signal);
        await raceSignal(this.#ensureInstalled(session, bundle), deadline.signal);
        return await run(session, command, deadline.signal);
      } finally {
        release();
      }
    } finally {
      deadline.dispose();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    if (session) await session.then((s) => s.close()).catch(() => {});
  }

  #scriptBundle(): ScriptBundle {
    this.#bundle ??= readScriptBundle(this.#options.scriptsDir ?? DEFAULT_SCRIPTS_DIR);
    return this.#bundle;
  }

  /** The pooled session; a new one when there is none or the last one closed. Concurrent callers share one attempt. */
  #connectedSession(): Promise<SshSession> {
    const current = this.#session;
    if (current) {
      return current.then((session) => (session.closed ? this.#reconnect(current) : session));
    }
    return this.#reconnect(undefined);
  }

  #reconnect(stale: Promise<SshSession> | undefined): Promise<SshSession> {
    // Another caller may already have replaced the stale session.
    if (this.#session !== stale && this.#session) return this.#connectedSession();
    const attempt = this.#connect();
    this.#session = attempt;
    attempt.catch(() => {
      if (this.#session === attempt) this.#session = undefined;
    });
    return attempt;
  }

  async #connect(): Promise<SshSession> {
    let privateKey: string;
    try {
      privateKey = await loadPrivateKey(this.#options.privateKey, {
        encryptionKey: this.#options.encryptionKey,
      });
    } catch (error) {
      // A missing or unreadable key file, no or the wrong HOST_KEY_ENCRYPTION_KEY: our configuration,
      // not a key the host refused (it was never asked). The message, with the path, is for admins.
      throw new HostError(
        'host_misconfigured',
        `${this.target}: cannot load the private key: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const session = await SshSession.connect({
      host: this.#options.host,
      port: this.#options.port ?? 22,
      username: this.#options.username,
      privateKey,
      hostKeyFingerprint: this.#fingerprint,
      connectTimeoutMs: this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      keepaliveIntervalMs: this.#options.keepaliveIntervalMs ?? 15_000,
    });
    if (this.#closed) {
      await session.close();
      throw new Error(`the ssh transport to ${this.target} is closed`);
    }
    return session;
  }

  /** Checks once per connection that this bundle is on the host, and installs it if not. */
  #ensureInstalled(session: SshSession, bundle: ScriptBundle): Promise<void> {
    let install = session.installs.get(bundle.hash);
    if (!install) {
      install = this.#install(session, bundle);
      session.installs.set(bundle.hash, install);
      install.catch(() => session.installs.delete(bundle.hash));
    }
    return install;
  }

  async #install(session: SshSession, bundle: ScriptBundle): Promise<void> {
    // Not tied to one caller's signal: an install serves every call on the connection.
    const deadline = new Deadline(INSTALL_TIMEOUT_MS, undefined, `installing host scripts on ${this.target}`);
    try {
      const dir = remoteBundleDir(this.#remoteRoot, bundle);
      const check = await session.run(`test -f ${dir}/.installed`, deadline.signal);
      if (check.code === 0) return;
      const result = await session.run('bash -s', deadline.signal, {
        stdin: bundleInstaller(this.#remoteRoot, bundle),
      });
      if (result.code !== 0) {
        throw new HostError('script_failed', `${this.target}: installing the host scripts failed`, {
          exitCode: result.code,
          outputTail: result.stderr.slice(-2000),
          transient: true,
        });
      }
    } finally {
      deadline.dispose();
    }
  }
}
