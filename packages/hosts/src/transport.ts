import type { HostScript } from './host-scripts';

export interface ExecOptions {
  /** Aborting stops the script (its channel or process group is closed) and rejects with `aborted`. */
  signal?: AbortSignal;
  /** The whole call, queueing for a channel included; on expiry it rejects with `timeout`. */
  timeoutMs?: number;
  /**
   * Bytes for the script's standard input, e.g. an agent's environment file for `provision` (never an
   * argument: arguments show in every process listing). Small: it travels in one message.
   */
  stdin?: Uint8Array;
}

/** What a script did. A non-zero `code` is a result, not an exception: see runHostScript. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The exit status; 128 + n when the script was killed by signal n. */
  code: number;
}

/**
 * Runs the host scripts on one host. `args` travel as an argv array: the local transport passes
 * them straight to the process and the ssh transport quotes each one; none is ever spliced into a
 * shell line unquoted. Transport failures reject with a HostError.
 */
export interface HostTransport {
  readonly kind: 'local' | 'ssh';
  exec(script: HostScript, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Releases connections and processes held for reuse. */
  close(): Promise<void>;
}
