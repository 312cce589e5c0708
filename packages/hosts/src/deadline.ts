import { HostError } from './host-error';

/**
 * One signal for an exec call that fires on the caller's abort (reason: HostError `aborted`) or
 * when the call's time is up (reason: HostError `timeout`). Everything downstream rejects with
 * `signal.reason`, so the error class falls out without guessing.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #outer: AbortSignal | undefined;
  readonly #onOuterAbort = () => {
    this.#controller.abort(
      new HostError('aborted', 'the command was aborted', { cause: this.#outer?.reason }),
    );
  };

  constructor(timeoutMs: number | undefined, outer: AbortSignal | undefined, what: string) {
    this.signal = this.#controller.signal;
    this.#outer = outer;
    if (outer?.aborted) this.#onOuterAbort();
    else outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
    if (timeoutMs !== undefined && timeoutMs > 0 && !this.signal.aborted) {
      this.#timer = setTimeout(() => {
        this.#controller.abort(new HostError('timeout', `${what} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }
}

/** `promise`, unless `signal` fires first; then its reason. The promise itself keeps running. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
