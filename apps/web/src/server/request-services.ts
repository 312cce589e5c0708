import 'server-only';
import {
  type ClientAddressRule,
  type PortalOriginSettings,
  portalOriginsFor,
  publicOriginOf,
  type RequestServices,
} from '@pocket-smyth/api';
import { apiSettings } from '@pocket-smyth/api/env';
import {
  type ApiCallMeter,
  createApiCallMeter,
  createBatchedRateLimitCounter,
  createPlanApiLimitCache,
  type PlanApiLimitCache,
  type RateLimitCounter,
} from '@pocket-smyth/core';
import { hostnamesEnv } from '@pocket-smyth/core/env';
import { env } from '~/env';
import { db } from './db';
import { enqueue } from './enqueue';
import { mailer } from './mailer';

/** PORTAL_URL only when the operator set it: its default says nothing about where the app is reached. */
const portalUrlDefault = hostnamesEnv.shape.PORTAL_URL.parse(undefined);

/** Where the app is reached, from its configuration only (never from a request's Host). */
const originSettings: PortalOriginSettings = {
  domain: env.DOMAIN ?? null,
  authUrl: env.AUTH_URL ?? null,
  portalUrl: env.PORTAL_URL === portalUrlDefault ? null : env.PORTAL_URL,
  port: env.PORT,
};

/** The app's public origin: AUTH_URL's, else PORTAL_URL's, else the default for the mode and PORT. */
export const publicOrigin = publicOriginOf(originSettings);

/**
 * Set by server.mjs before Next starts: every request reaches the app through it, and it overwrites the
 * peer header (`PEER_HEADER`) with the socket's address. Under plain `next start` nothing sets the
 * flag, so that header, which any client can send, is ignored: with TRUSTED_PROXY_HOPS=0 no address is
 * known then (the activity log records none, anonymous callers share one rate-limit budget). Run
 * `pnpm start` (server.mjs), or put a proxy in front and set TRUSTED_PROXY_HOPS.
 */
const behindServerMjs =
  (globalThis as Record<symbol, unknown>)[Symbol.for('pocket-smyth.peer-header')] === true;

const clientAddress: ClientAddressRule = {
  trustedProxyHops: env.TRUSTED_PROXY_HOPS,
  peerHeader: behindServerMjs,
};

/**
 * One counter per process, on globalThis: the route handlers' bundle and the start-up one that hands
 * server.mjs its REST handler (instrumentation-node.ts) each load this module, and both must count in
 * the same tallies.
 */
function rateLimitCounter(): RateLimitCounter {
  const global = globalThis as unknown as { pocketSmythRateLimitCounter?: RateLimitCounter };
  global.pocketSmythRateLimitCounter ??= createBatchedRateLimitCounter(db, {
    onError: (error) => console.error('[web] rate-limit counts not written (kept for the next try):', error),
  });
  return global.pocketSmythRateLimitCounter;
}

/** One API call meter per process, on globalThis, for the same reason as the rate-limit counter. */
function apiCallMeter(): ApiCallMeter {
  const global = globalThis as unknown as { pocketSmythApiCallMeter?: ApiCallMeter };
  global.pocketSmythApiCallMeter ??= createApiCallMeter(db, {
    onError: (error) => console.error('[web] API call counts not written (kept for the next try):', error),
  });
  return global.pocketSmythApiCallMeter;
}

/** The plans' API figures, one copy per process for the same reason (read again every 5 s). */
function planApiLimits(): PlanApiLimitCache {
  const global = globalThis as unknown as { pocketSmythPlanApiLimits?: PlanApiLimitCache };
  global.pocketSmythPlanApiLimits ??= createPlanApiLimitCache(db);
  return global.pocketSmythPlanApiLimits;
}

/**
 * The one set of services every request context is built from, for `/api/trpc` (and the server
 * components that call procedures in-process) and the REST adapter alike: same mailer, same queue, same
 * token limit, same portal URL in mail links, same rule for the client's address and for the origins a
 * cookie-authenticated write may come from (docs/ARCHITECTURE.md, "Security rules").
 */
export const requestServices: RequestServices = {
  db,
  enqueue,
  mailer,
  tokenMaxDays: env.API_TOKEN_MAX_DAYS,
  portalUrl: publicOrigin,
  hostKeyEncryptionKey: env.HOST_KEY_ENCRYPTION_KEY ?? null,
  agentSecretsKey: env.AGENT_SECRETS_KEY ?? null,
  clientAddress,
  portalOrigins: portalOriginsFor(originSettings),
  // Every procedure call counts against its caller's budget: per person (their plan's figure, else
  // RATE_LIMIT_PER_MINUTE), per address when anonymous, counted in memory and written once a second
  // (exact across instances up to one flush); token calls against the plan's monthly API calls too.
  rateLimits: {
    ...apiSettings(env).rateLimits,
    counter: rateLimitCounter(),
    meter: apiCallMeter(),
    plans: planApiLimits(),
  },
};
