import { HostError } from './host-error';

/** What ssh2 attaches to its errors: `level` says which stage failed, `code` the socket error. */
interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

/**
 * The HostError for a failed connection attempt. `hostKeyRejected` is set by our hostVerifier, the
 * only reliable signal that the key, not the network, was the problem (ssh2 reports it as a
 * generic handshake failure).
 */
export function classifyConnectError(
  error: unknown,
  context: { target: string; hostKeyRejected?: { expected: string; presented: string } },
): HostError {
  if (error instanceof HostError) return error;
  const e = (error instanceof Error ? error : new Error(String(error))) as Ssh2Error;
  if (context.hostKeyRejected) {
    return new HostError(
      'host_key_mismatch',
      `${context.target} presented host key ${context.hostKeyRejected.presented}, but ${context.hostKeyRejected.expected} is pinned; refused before authenticating`,
      { cause: e },
    );
  }
  if (e.level === 'client-authentication') {
    return new HostError('auth_failed', `${context.target} rejected our key: ${e.message}`, { cause: e });
  }
  if (e.level === 'client-timeout') {
    return new HostError('host_unreachable', `${context.target}: connect timed out`, { cause: e });
  }
  if (e.level === 'client-dns' || (e.code !== undefined && UNREACHABLE_CODES.has(e.code))) {
    return new HostError('host_unreachable', `${context.target}: ${e.code ?? e.message}`, { cause: e });
  }
  return new HostError('host_unreachable', `${context.target}: ${e.message}`, { cause: e });
}
