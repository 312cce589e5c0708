import { z } from 'zod';
import type { RateLimitRule } from './rest/rate-limit';

/**
 * The API's settings, as a zod fragment the web app composes into its env.ts (docs/ARCHITECTURE.md,
 * "Configuration"): how long a token may live and the REST rate limits, shared by all web instances.
 */
export const apiEnv = z.object({
  /** Longest lifetime of a new API token, in days. */
  API_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** REST requests per minute per token (or session). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** REST requests per minute per client address without credentials. */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
});

export type ApiEnv = z.infer<typeof apiEnv>;

/** `createRestHandler`'s and the request context's settings from the parsed fragment. */
export function apiSettings(env: ApiEnv): {
  tokenMaxDays: number;
  rateLimits: { authenticated: RateLimitRule; anonymous: RateLimitRule };
} {
  return {
    tokenMaxDays: env.API_TOKEN_MAX_DAYS,
    rateLimits: {
      authenticated: { limit: env.RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
      anonymous: { limit: env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, windowMs: 60_000 },
    },
  };
}
