import type { Readable, Writable } from 'node:stream';
import { OutputBuffer } from './output-buffer';
import type { StreamOptions } from './transport';

const STDOUT_CAP_BYTES = 16 * 1024 * 1024;
const STDERR_CAP_BYTES = 256 * 1024;

/** The three pipes of a running data script: a child process's, or an ssh channel's. */
export interface ScriptPipes {
  stdin: Writable | null;
  stdout: Readable;
  stderr: Readable;
}

/**
 * Connects a data script's pipes to the caller's streams (HostTransport.stream): `options.stdin` into
 * the script and the script's stdout into `options.stdout`, both with `pipe`, so the faster side waits
 * for the slower and nothing piles up in memory. `stop` is called when the caller's source or sink
 * fails: the script must not wait forever on a pipe nobody serves. Returns what was collected.
 */
export function connectDataPipes(
  pipes: ScriptPipes,
  options: StreamOptions,
  stop: () => void,
): { stdout(): string; stderr(): string } {
  const stdout = new OutputBuffer(STDOUT_CAP_BYTES);
  const stderr = new OutputBuffer(STDERR_CAP_BYTES);
  if (options.stdin && pipes.stdin) {
    // EPIPE when the script stops reading early (e.g. over its size limit): its exit status says why.
    pipes.stdin.on('error', () => {});
    options.stdin.once('error', stop);
    options.stdin.pipe(pipes.stdin);
  } else {
    pipes.stdin?.end();
  }
  if (options.stdout) {
    options.stdout.once('error', stop);
    pipes.stdout.pipe(options.stdout, { end: false });
  } else {
    pipes.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  }
  pipes.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  return { stdout: () => stdout.text(), stderr: () => stderr.text() };
}
