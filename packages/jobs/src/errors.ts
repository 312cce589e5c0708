/**
 * How job failures are classified. Errors from the other packages (HostError, IdpError, MailError) carry
 * `errorClass` and `transient`; we read those fields rather than import the classes, so any error that
 * follows the convention is understood.
 */

/** A failure that will not go away by retrying: the job fails at once, with no further attempts. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
  readonly errorClass: string;
  readonly transient = false;

  constructor(errorClass: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.errorClass = errorClass;
  }
}

/** The class a step and a run record for `error`; `internal` when the error does not say. */
export function errorClassOf(error: unknown): string {
  const value = (error as { errorClass?: unknown } | null)?.errorClass;
  return typeof value === 'string' && value ? value : 'internal';
}

/** Permanent when the error says so (`transient: false`); anything else is worth another attempt. */
export function isPermanentError(error: unknown): boolean {
  return (error as { transient?: unknown } | null)?.transient === false;
}

export function errorMessageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
