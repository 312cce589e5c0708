import { z } from 'zod';
import type { RateLimitRule } from './rest/rate-limit';

/**
 * The API's settings, as a zod fragment the web app composes into its env.ts (docs/ARCHITECTURE.md,
 * "Configuration"): how long a token may live, the REST rate limits, shared by all web instances, and
 * how many proxies may vouch for the client's address.
 */
export const apiEnv = z.object({
  /** Longest lifetime of a new API token, in days. */
  API_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /**
   * API calls (REST and tRPC) per minute per person: all their tokens and their session together. For
   * the people whose plan sets no `api_requests_per_minute` of its own.
   */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** API calls per minute per client address without credentials (and failed bearer attempts). */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /**
   * Proxies in front of the app that append the client's address to X-Forwarded-For (1 behind
   * Traefik). 0: X-Forwarded-For is ignored and the address is the socket's (docs/ARCHITECTURE.md,
   * "Security rules").
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(16).default(0),
  /**
   * A bearer secret for the Prometheus scraper of GET /api/metrics (admins' API tokens with
   * admin:system:read work too). At least 32 characters; empty: admin tokens only.
   */
  METRICS_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || v.length >= 32, { error: 'METRICS_TOKEN is at least 32 characters' }),
});

export type ApiEnv = z.infer<typeof apiEnv>;

/** `createRestHandler`'s and the request context's settings from the parsed fragment. */
export function apiSettings(env: ApiEnv): {
  tokenMaxDays: number;
  trustedProxyHops: number;
  rateLimits: { authenticated: RateLimitRule; anonymous: RateLimitRule };
} {
  return {
    tokenMaxDays: env.API_TOKEN_MAX_DAYS,
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    rateLimits: {
      authenticated: { limit: env.RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
      anonymous: { limit: env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, windowMs: 60_000 },
    },
  };
}
