import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { HostTransport, ScriptResult } from '../deps';
import { ScriptFailedError } from './script-call';

/** The default of AGENT_MOVE_MAX_BYTES: 10 GiB. */
export const DEFAULT_MOVE_MAX_BYTES = 10 * 1024 ** 3;

/** An agent's data as export-data wrote it: its tar's SHA-256 and length. */
export interface DataDigest {
  sha256: string;
  bytes: number;
}

/** The agent's data is larger than AGENT_MOVE_MAX_BYTES: a retry would find it just as large. */
export class DataTooLargeError extends Error {
  override readonly name = 'DataTooLargeError';
  readonly errorClass = 'data_too_large';
  readonly transient = false;
}

/**
 * Hashes and counts what passes through it, and fails once more than `maxBytes` came: the worker's
 * look at the data between export-data and import-data, which never holds more than a chunk of it.
 */
class DataMeter extends Transform {
  readonly #hash = createHash('sha256');
  #bytes = 0;

  constructor(readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.maxBytes) {
      callback(new DataTooLargeError(`The agent's data is larger than the limit of ${this.maxBytes} bytes`));
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  digest(): DataDigest {
    return { sha256: this.#hash.copy().digest('hex'), bytes: this.#bytes };
  }
}

export interface DataCallOptions {
  signal: AbortSignal;
  maxBytes: number;
}

/**
 * How long a data script may take: ten minutes plus a second per MiB the limit allows (1 MiB/s, slower
 * than any link worth moving agents over), so a transfer is bounded without guessing its size.
 */
export function dataTimeoutMs(maxBytes: number): number {
  return 600_000 + Math.ceil(maxBytes / 1024 ** 2) * 1_000;
}

/** export-data's failure: its JSON error object is on stderr (its stdout is the data). */
function exportFailed(result: ScriptResult): ScriptFailedError {
  return new ScriptFailedError('export-data', { ...result, stdout: result.stderr });
}

/**
 * One pass of export-data through the meter, the data discarded: the checksum and size import-data
 * needs as arguments before it reads a byte. The agent is stopped, so a second pass reads the same.
 */
export async function measureExport(
  source: HostTransport,
  username: string,
  options: DataCallOptions,
): Promise<DataDigest> {
  const meter = new DataMeter(options.maxBytes);
  meter.resume();
  const failure = watch(meter, options.signal);
  const result = await source
    .stream('export-data', [username], {
      stdout: meter,
      signal: failure.signal,
      timeoutMs: dataTimeoutMs(options.maxBytes),
    })
    .catch((error: unknown) => {
      throw failure.error ?? error;
    });
  if (failure.error) throw failure.error;
  if (result.code !== 0) throw exportFailed(result);
  return meter.digest();
}

/**
 * export-data on `source` piped through the meter into import-data on `target`, both streamed: the
 * worker holds a chunk at a time, and the slower side paces the faster. import-data checks the checksum
 * of `expected` (measured before) and unpacks only then; an export that fails midway stops the import
 * before it unpacks anything. Returns import-data's output.
 */
export async function copyData(
  source: HostTransport,
  target: HostTransport,
  username: string,
  expected: DataDigest,
  image: string,
  options: DataCallOptions,
): Promise<ScriptResult> {
  const meter = new DataMeter(options.maxBytes);
  const failure = watch(meter, options.signal);
  const timeoutMs = dataTimeoutMs(options.maxBytes);
  const importing = target.stream(
    'import-data',
    [username, expected.sha256, String(options.maxBytes), image],
    { stdin: meter, signal: failure.signal, timeoutMs },
  );
  // An import that ends before the export has (it refused at once: busy, bad arguments) stops the
  // export, which would otherwise wait on a pipe nobody reads. Settled here too, so a rejection while
  // the export is still running is never unhandled.
  let exportEnded = false;
  const imported = importing.then(
    (result) => {
      if (!exportEnded) {
        failure.fail(
          result.code === 0
            ? new Error('import-data ended before export-data did')
            : new ScriptFailedError('import-data', result),
        );
      }
      return { result };
    },
    (error: unknown) => {
      if (!exportEnded) failure.fail(error);
      return { error };
    },
  );
  try {
    const exported = await source
      .stream('export-data', [username], { stdout: meter, signal: failure.signal, timeoutMs })
      .finally(() => {
        exportEnded = true;
      });
    if (failure.error) throw failure.error;
    if (exported.code !== 0) throw exportFailed(exported);
  } catch (error) {
    failure.fail(error);
    await imported;
    throw failure.error ?? error;
  }
  meter.end();
  const outcome = await imported;
  if (failure.error) throw failure.error;
  if ('error' in outcome) throw outcome.error;
  if (outcome.result.code !== 0) throw new ScriptFailedError('import-data', outcome.result);
  return outcome.result;
}

/**
 * An abort signal for both scripts of a transfer, fired by the job's signal or by the first failure
 * (the meter's, or one side's), which `error` keeps: the other script must not wait on a dead pipe.
 */
function watch(meter: DataMeter, outer: AbortSignal) {
  const controller = new AbortController();
  const state = {
    error: undefined as unknown,
    signal: controller.signal,
    fail(error: unknown) {
      state.error ??= error;
      controller.abort(error);
    },
  };
  meter.once('error', (error) => state.fail(error));
  if (outer.aborted) controller.abort(outer.reason);
  else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
  return state;
}
