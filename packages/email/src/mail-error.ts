/**
 * Why a mail was not sent, in the terms a provisioning step shows (docs/ARCHITECTURE.md, "Runs and steps"). `transient` tells the job
 * system whether to retry with backoff (`email_unavailable`) or fail the step at once (`email_rejected`).
 */
export type MailErrorClass = 'email_rejected' | 'email_unavailable';

export class MailError extends Error {
  override readonly name = 'MailError';
  readonly errorClass: MailErrorClass;
  readonly transient: boolean;
  /** HTTP status from the provider; null when no response arrived. */
  readonly status: number | null;
  /** The provider's error code, e.g. Resend's `validation_error`. */
  readonly code: string | null;

  constructor(
    message: string,
    options: { errorClass: MailErrorClass; status?: number | null; code?: string | null; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.errorClass = options.errorClass;
    this.transient = options.errorClass === 'email_unavailable';
    this.status = options.status ?? null;
    this.code = options.code ?? null;
  }
}

export function isMailError(error: unknown): error is MailError {
  return error instanceof MailError;
}
