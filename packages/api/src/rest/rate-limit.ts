import {
  type ApiCallMeter,
  consumeRateLimit,
  nextMonthStartUtc,
  type PlanApiLimitCache,
  type PlanApiLimits,
  type RateLimitCounter,
  type RateLimitDecision,
  type RateLimitRule,
  readPlanApiLimits,
} from '@pocket-smyth/core';
import type { Db } from '@pocket-smyth/db';

// The fixed-window counter lives in core, which the sign-in links' limits (packages/auth) use too.
export { consumeRateLimit, type RateLimitDecision, type RateLimitRule };

/** The two budgets of docs/ARCHITECTURE.md, "REST": per person, and per address for anonymous callers. */
export interface RateLimits {
  /**
   * A signed-in person: all their API tokens and their browser session together. The limit is the
   * deployment's RATE_LIMIT_PER_MINUTE, for the people whose plan sets no figure of its own.
   */
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
  /**
   * The plans' figures in memory, at most a few seconds old (`createPlanApiLimitCache`): the app's and
   * the REST adapter's, so that no call reads a plan. Absent: the plan is read on every call (tests,
   * tools).
   */
  plans?: PlanApiLimitCache;
}

/** A call over the monthly API calls of the caller's plan (docs/ARCHITECTURE.md, "Plans and quotas"). */
export interface MonthlyQuotaRefusal {
  limit: number;
  /** The first moment of the next calendar month, UTC, when the calls start again. */
  resetAt: Date;
  /** Seconds until then. */
  retryAfterSeconds: number;
}

export interface CallBudgetDecision {
  /** The per-minute budget: the caller's plan's figure, or the deployment's. */
  rate: RateLimitDecision;
  /** Set when the rate allows the call but the month's API calls are used up. */
  monthly: MonthlyQuotaRefusal | null;
}

/**
 * Whose budget a call draws on. A person's, whichever credential they call with: any of their tokens or
 * their session, so minting tokens does not multiply it. Without a principal (no credentials, or a
 * bearer token that failed), the client address's.
 */
export function rateLimitKey(principal: { person: { id: string } } | null, ip: string | null): string {
  return principal ? `person:${principal.person.id}` : `ip:${ip ?? 'unknown'}`;
}

/**
 * Counts one call against its caller's budget (`rateLimitKey`) under the matching rule: a person's
 * plan's requests per minute (or RATE_LIMIT_PER_MINUTE), and, for calls with an API token, the plan's
 * monthly API calls.
 */
export async function consumeCallBudget(
  db: Db,
  limits: RateLimits,
  principal: { person: { id: string; planId: string | null }; token?: { id: string } } | null,
  ip: string | null,
  now = Date.now(),
): Promise<CallBudgetDecision> {
  // Every call with a token is metered, refused or not: it reached the API on the person's behalf.
  if (principal?.token && limits.meter) limits.meter.count(principal.person.id, principal.token.id, now);
  const key = rateLimitKey(principal, ip);
  if (!principal) return { rate: await consume(db, limits, key, limits.anonymous), monthly: null };
  const planLimits = await planOf(db, limits, principal.person.planId);
  const rule: RateLimitRule = {
    limit: planLimits.requestsPerMinute ?? limits.authenticated.limit,
    windowMs: limits.authenticated.windowMs,
  };
  const rate = await consume(db, limits, key, rule);
  const monthlyLimit = planLimits.monthlyApiCalls;
  // Only token calls are API calls; without a meter nothing is counted, so there is nothing to compare.
  if (!rate.allowed || !principal.token || monthlyLimit === null || !limits.meter) {
    return { rate, monthly: null };
  }
  // This call is counted in the total (metered above).
  const used = await limits.meter.monthTotal(principal.person.id, now);
  if (used <= monthlyLimit) return { rate, monthly: null };
  const resetAt = nextMonthStartUtc(now);
  return {
    rate,
    monthly: {
      limit: monthlyLimit,
      resetAt: new Date(resetAt),
      retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
    },
  };
}

function consume(db: Db, limits: RateLimits, key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
  if (limits.counter) return Promise.resolve(limits.counter.consume(key, rule));
  return consumeRateLimit(db, key, rule);
}

function planOf(db: Db, limits: RateLimits, planId: string | null): PlanApiLimits | Promise<PlanApiLimits> {
  return limits.plans ? limits.plans.get(planId) : readPlanApiLimits(db, planId);
}

/** The words of a refusal, the same over REST and tRPC. */
export function tooManyRequestsMessage(d: RateLimitDecision): string {
  return `Too many requests; try again in ${d.resetSeconds} s.`;
}

/** The words of a monthly refusal, the same over REST and tRPC: the limit and the day it resets. */
export function monthlyQuotaMessage(q: MonthlyQuotaRefusal): string {
  const day = q.resetAt.toISOString().slice(0, 10);
  return `Your plan allows ${q.limit} API call${q.limit === 1 ? '' : 's'} a month, and this month's are used up; they start again on ${day} (00:00 UTC).`;
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
