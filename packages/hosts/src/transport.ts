import type { Readable, Writable } from 'node:stream';
import type { DataScript, HostScript } from './host-scripts';

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

/** For the data scripts, whose input or output is a stream of any size (see HostTransport.stream). */
export interface StreamOptions extends Omit<ExecOptions, 'stdin'> {
  /**
   * The script's stdin, piped with backpressure (the source is paused while the script does not read);
   * its end is the script's end-of-file. An error of the source stops the script. None: empty stdin.
   */
  stdin?: Readable;
  /**
   * Receives the script's stdout as it comes, with backpressure; never ended by the transport (the
   * caller decides from the exit status whether what came is whole). None: collected as in exec.
   */
  stdout?: Writable;
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
  /**
   * Runs a data script (export-data, import-data) with streamed stdin and stdout; resolves once it has
   * exited and its output has been handed on. `stdout` of the result is empty when `options.stdout`
   * took it. Aborting or timing out stops the script, as for exec.
   */
  stream(script: DataScript, args: readonly string[], options: StreamOptions): Promise<ExecResult>;
  /** Releases connections and processes held for reuse. */
  close(): Promise<void>;
}
