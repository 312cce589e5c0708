import ssh2, { type Client, type ClientChannel } from 'ssh2';
import { connectDataPipes } from './data-stream';
import { HostError } from './host-error';
import { fingerprintHostKey } from './host-key';
import { OutputBuffer } from './output-buffer';
import { classifyConnectError } from './ssh-errors';
import type { ExecResult, StreamOptions } from './transport';

export interface SshSessionOptions {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** `SHA256:…`, normalized. */
  hostKeyFingerprint: string;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
}

const STDOUT_CAP_BYTES = 16 * 1024 * 1024;
const STDERR_CAP_BYTES = 256 * 1024;

/**
 * One authenticated SSH connection. Many commands share it, each on its own channel; the transport
 * bounds how many at once. Once it closes it stays closed: the transport makes a new one.
 */
export class SshSession {
  readonly target: string;
  readonly #client: Client;
  #closed = false;
  readonly #onClose = new Set<() => void>();
  /** Installs of script bundles on this connection's host, by bundle hash (see ensureInstalled). */
  readonly installs = new Map<string, Promise<void>>();

  private constructor(client: Client, target: string) {
    this.#client = client;
    this.target = target;
    client.on('close', () => {
      this.#closed = true;
      for (const listener of this.#onClose) listener();
      this.#onClose.clear();
    });
    // After the handshake, errors (keepalive timeouts, resets) are followed by 'close'; handled there.
    client.on('error', () => {});
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Connects and authenticates. The host key is checked in hostVerifier, during key exchange:
   * a mismatch ends the connection before any authentication message is sent.
   */
  static connect(options: SshSessionOptions): Promise<SshSession> {
    const target = `${options.username}@${options.host}:${options.port}`;
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let hostKeyRejected: { expected: string; presented: string } | undefined;
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        client.removeAllListeners('ready');
        client.end();
        reject(classifyConnectError(error, { target, hostKeyRejected }));
      };
      client.once('ready', () => {
        if (settled) return;
        settled = true;
        client.removeListener('error', fail);
        resolve(new SshSession(client, target));
      });
      client.on('error', fail);
      client.once('close', () =>
        fail(new HostError('host_unreachable', `${target}: connection closed during setup`)),
      );
      try {
        client.connect({
          host: options.host,
          port: options.port,
          username: options.username,
          privateKey: options.privateKey,
          readyTimeout: options.connectTimeoutMs,
          keepaliveInterval: options.keepaliveIntervalMs,
          keepaliveCountMax: 3,
          hostVerifier: (key: Buffer) => {
            const presented = fingerprintHostKey(key);
            if (presented === options.hostKeyFingerprint) return true;
            hostKeyRejected = { expected: options.hostKeyFingerprint, presented };
            return false;
          },
        });
      } catch (error) {
        // Synchronous failures are about our own configuration, e.g. a private key ssh2 cannot parse.
        fail(new HostError('host_misconfigured', `${target}: ${(error as Error).message}`, { cause: error }));
      }
    });
  }

  /**
   * Runs `command` on a new channel. `stdin` is written and then closed, unless `holdStdinOpen`:
   * then stdin stays open until the command exits, and its end-of-file is the stop signal that
   * infra/host/lib/channel-guard.sh waits for. Aborting `signal` sends that EOF, asks the server
   * to TERM the command (which OpenSSH may ignore), closes the channel and rejects with the signal's
   * reason.
   */
  run(
    command: string,
    signal: AbortSignal,
    input: { stdin?: string | Uint8Array; holdStdinOpen?: boolean } = {},
  ): Promise<ExecResult> {
    return this.#exec(command, signal, (channel) => {
      const stdout = new OutputBuffer(STDOUT_CAP_BYTES);
      const stderr = new OutputBuffer(STDERR_CAP_BYTES);
      channel.on('data', (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      if (input.holdStdinOpen) {
        if (input.stdin) channel.write(input.stdin);
      } else {
        channel.end(input.stdin ?? '');
      }
      return { stdout: () => stdout.text(), stderr: () => stderr.text() };
    });
  }

  /**
   * Runs a data script's `command` with the channel's stdin and stdout connected to the caller's
   * streams (see HostTransport.stream). No channel guard here: stdin carries data, so its end-of-file
   * cannot mean "stop"; an abort closes the channel instead, and the script then meets a closed pipe
   * (export-data) or a short archive it refuses (import-data).
   */
  stream(command: string, signal: AbortSignal, options: StreamOptions): Promise<ExecResult> {
    return this.#exec(command, signal, (channel) =>
      connectDataPipes({ stdin: channel, stdout: channel, stderr: channel.stderr }, options, () =>
        channel.close(),
      ),
    );
  }

  #exec(
    command: string,
    signal: AbortSignal,
    attach: (channel: ClientChannel) => { stdout(): string; stderr(): string },
  ): Promise<ExecResult> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#closed) {
      return Promise.reject(new HostError('host_unreachable', `${this.target}: connection closed`));
    }
    return new Promise((resolve, reject) => {
      let channel: ClientChannel | undefined;
      let settled = false;
      let exitCode: number | undefined;

      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        this.#onClose.delete(onConnectionClose);
        outcome();
      };
      const onAbort = () => {
        if (channel) {
          try {
            channel.end();
            channel.signal('TERM');
          } catch {
            // The channel is already closing.
          }
          channel.close();
        }
        finish(() => reject(signal.reason));
      };
      const onConnectionClose = () =>
        finish(() =>
          reject(
            new HostError('host_unreachable', `${this.target}: connection lost while a command was running`),
          ),
        );
      signal.addEventListener('abort', onAbort, { once: true });
      this.#onClose.add(onConnectionClose);

      try {
        this.#client.exec(command, (error, opened) => {
          if (error) {
            finish(() =>
              reject(
                new HostError('host_unreachable', `${this.target}: cannot open a channel: ${error.message}`, {
                  cause: error,
                }),
              ),
            );
            return;
          }
          channel = opened;
          if (settled) {
            // Aborted while the channel was being opened.
            opened.close();
            return;
          }
          opened.on('exit', (code: number | null, signalName?: string) => {
            exitCode = typeof code === 'number' ? code : 128 + signalNumber(signalName);
          });
          const collected = attach(opened);
          opened.on('close', () => {
            finish(() => {
              if (exitCode === undefined) {
                reject(
                  new HostError('host_unreachable', `${this.target}: channel closed without an exit status`),
                );
              } else {
                resolve({ stdout: collected.stdout(), stderr: collected.stderr(), code: exitCode });
              }
            });
          });
        });
      } catch (error) {
        finish(() =>
          reject(
            new HostError('host_unreachable', `${this.target}: ${(error as Error).message}`, {
              cause: error,
            }),
          ),
        );
      }
    });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#onClose.add(resolve);
      this.#client.end();
    });
  }
}

const SIGNAL_NUMBERS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ABRT: 6,
  KILL: 9,
  PIPE: 13,
  TERM: 15,
};

function signalNumber(name: string | undefined): number {
  return (name && SIGNAL_NUMBERS[name.replace(/^SIG/, '')]) || 0;
}
