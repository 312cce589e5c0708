import {
  type ApiCallMeter,
  consumeRateLimit,
  type RateLimitCounter,
  type RateLimitDecision,
  type RateLimitRule,
} from '@pocket-smyth/core';
import type { Db } from '@pocket-smyth/db';

// The fixed-window counter lives in core, which the sign-in links' limits (packages/auth) use too.
export { consumeRateLimit, type RateLimitDecision, type RateLimitRule };

/** The two budgets of docs/ARCHITECTURE.md, "REST": per person, and per address for anonymous callers. */
export interface RateLimits {
  /** A signed-in person: all their API tokens and their browser session together. */
  authenticated: RateLimitRule;
  /** Calls without credentials, and failed bearer attempts, per client address. */
  anonymous: RateLimitRule;
  /**
   * Counts in memory and writes once a second (`createBatchedRateLimitCounter`): the app's, so that no
   * call waits for a database write. Absent: one exact database write per call (tests, tools).
   */
  counter?: RateLimitCounter;
  /**
   * Counts the calls made with API tokens for usage (docs/ARCHITECTURE.md, "Usage metering"), in memory
   * like `counter`. Absent: not metered (tests, tools).
   */
  meter?: ApiCallMeter;
}

/**
 * Whose budget a call draws on. A person's, whichever credential they call with: any of their tokens or
 * their session, so minting tokens does not multiply it. Without a principal (no credentials, or a
 * bearer token that failed), the client address's.
 */
export function rateLimitKey(principal: { person: { id: string } } | null, ip: string | null): string {
  return principal ? `person:${principal.person.id}` : `ip:${ip ?? 'unknown'}`;
}

/** Counts one call against its caller's budget (`rateLimitKey`) under the matching rule. */
export function consumeCallBudget(
  db: Db,
  limits: RateLimits,
  principal: { person: { id: string }; token?: { id: string } } | null,
  ip: string | null,
): Promise<RateLimitDecision> {
  // Every call with a token is metered, refused or not: it reached the API on the person's behalf.
  if (principal?.token && limits.meter) limits.meter.count(principal.person.id, principal.token.id);
  const key = rateLimitKey(principal, ip);
  const rule = principal ? limits.authenticated : limits.anonymous;
  if (limits.counter) return Promise.resolve(limits.counter.consume(key, rule));
  return consumeRateLimit(db, key, rule);
}

/** The words of a refusal, the same over REST and tRPC. */
export function tooManyRequestsMessage(d: RateLimitDecision): string {
  return `Too many requests; try again in ${d.resetSeconds} s.`;
}

export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    'RateLimit-Reset': String(d.resetSeconds),
  };
  if (!d.allowed) headers['Retry-After'] = String(d.resetSeconds);
  return headers;
}
