/**
 * Why the identity provider was not updated, in the terms a provisioning step shows (docs/ARCHITECTURE.md, "Runs and steps").
 * `transient` tells the job system to retry with backoff (`idp_unavailable`) or fail at once
 * (`idp_rejected`).
 */
export type IdpErrorClass = 'idp_rejected' | 'idp_unavailable';

export class IdpError extends Error {
  override readonly name = 'IdpError';
  readonly errorClass: IdpErrorClass;
  readonly transient: boolean;
  /** HTTP status from the token endpoint or Graph; null when no response arrived. */
  readonly status: number | null;
  /** The service's own code, e.g. Graph's `Request_BadRequest` or the token endpoint's `invalid_client`. */
  readonly code: string | null;
  /** From `Retry-After`: how long the service asked us to wait. A hint for the job's backoff. */
  readonly retryAfterMs: number | null;

  constructor(
    message: string,
    options: {
      errorClass: IdpErrorClass;
      status?: number | null;
      code?: string | null;
      retryAfterMs?: number | null;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.errorClass = options.errorClass;
    this.transient = options.errorClass === 'idp_unavailable';
    this.status = options.status ?? null;
    this.code = options.code ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

export function isIdpError(error: unknown): error is IdpError {
  return error instanceof IdpError;
}

/**
 * 429, 5xx and no response at all are worth a retry. Anything else that failed (4xx, or a success
 * status with an unusable body, which means a misconfigured URL) will fail the same way again.
 */
export function errorClassForStatus(status: number | null): IdpErrorClass {
  return status === null || status === 429 || status >= 500 ? 'idp_unavailable' : 'idp_rejected';
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
