import { MailError } from './mail-error';

/** The error object the Resend SDK returns instead of throwing. */
export interface ResendErrorResponse {
  name: string;
  message: string;
  statusCode?: number | null;
}

/**
 * Resend codes that are worth retrying. Used when the SDK reports no status: it returns the parsed
 * error body as is, and a body without `statusCode` (or no response at all) still has to be classified.
 */
const transientCodes = new Set([
  'rate_limit_exceeded',
  'daily_quota_exceeded',
  'monthly_quota_exceeded',
  'concurrent_idempotent_requests',
  'application_error',
  'internal_server_error',
]);

/**
 * 4xx means Resend will refuse the same mail again (bad address, bad key, bad sender): fail at once.
 * 429, 5xx and no response at all are worth retrying with backoff. 409 `concurrent_idempotent_requests`
 * is the exception among 4xx: an earlier attempt with the same idempotency key is still in flight.
 */
export function classifyResendError(error: ResendErrorResponse): MailError {
  const status = typeof error.statusCode === 'number' ? error.statusCode : null;
  const transient =
    status === null
      ? transientCodes.has(error.name)
      : status === 429 || status >= 500 || error.name === 'concurrent_idempotent_requests';
  const where = status === null ? 'no response' : `HTTP ${status}`;
  return new MailError(
    `Resend ${transient ? 'unavailable' : 'rejected the mail'} (${where}, ${error.name}): ${error.message}`,
    {
      errorClass: transient ? 'email_unavailable' : 'email_rejected',
      status,
      code: error.name,
    },
  );
}
