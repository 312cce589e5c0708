import type { Person } from '@pocket-smyth/core';
import { AppError, createPlanApiLimitCache, TokenRejected, verifyApiToken } from '@pocket-smyth/core';
import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { createContextFactory, type Principal, type RequestServices } from '../context';
import type { HttpMetrics } from '../metrics/http-metrics';
import { restRouteTemplates } from '../metrics/route-templates';
import { cookieWriteRefusal, isWriteMethod } from '../request-origin';
import { appRouter } from '../root';
import { answerCsv, findCsvRoute } from './csv-routes';
import { errorBody, reshapeError } from './error-body';
import {
  consumeCallBudget,
  monthlyQuotaMessage,
  type RateLimits,
  rateLimitHeaders,
  tooManyRequestsMessage,
} from './rate-limit';
import { readBodyText } from './read-body';
import { clientIpFrom, requestIdFrom } from './request-meta';
import { malformedUrlEncoding } from './well-formed';

/** The services every request context gets (the same object the app gives `/api/trpc`), plus REST's own. */
export interface RestHandlerOptions extends RequestServices {
  /** The signed-in browser session, so the same routes work from the dashboard. */
  resolveSession?: (req: Request) => Promise<Person | null>;
  rateLimits?: RateLimits;
  /** Bodies above this are refused with 413 before they are parsed. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Where the REST routes are mounted. Default `/api`. */
  endpoint?: `/${string}`;
  /** Counts every answer by route template, method and status (`GET /api/metrics`). */
  httpMetrics?: HttpMetrics;
}

export const defaultRateLimits = {
  authenticated: { limit: 600, windowMs: 60_000 },
  anonymous: { limit: 60, windowMs: 60_000 },
} satisfies RestHandlerOptions['rateLimits'];

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The REST adapter: bearer tokens or the session, a shared rate limit, a URL that decodes as UTF-8, a
 * bounded strict-UTF-8 body, writes on the session cookie only from the portal's own origins
 * (`request-origin.ts`), then trpc-to-openapi dispatching to the same procedures the dashboard calls.
 * Every answer carries X-Request-Id; every error has one shape.
 */
export function createRestHandler(opts: RestHandlerOptions): (req: Request) => Promise<Response> {
  const { db } = opts;
  const given: RateLimits = opts.rateLimits ?? defaultRateLimits;
  // The plans' figures are never read per call: a handler given none keeps its own copy.
  const rules: RateLimits = given.plans ? given : { ...given, plans: createPlanApiLimitCache(db) };
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
  const endpoint = opts.endpoint ?? '/api';
  const contextFor = createContextFactory(opts);

  const metrics = opts.httpMetrics;
  let routeOf: ((pathname: string) => string) | undefined;
  if (metrics) {
    return async (req) => {
      const started = performance.now();
      const res = await handleRest(req);
      routeOf ??= restRouteTemplates(endpoint);
      metrics.observe({
        route: routeOf(new URL(req.url).pathname),
        method: req.method,
        status: res.status,
        seconds: (performance.now() - started) / 1000,
      });
      return res;
    };
  }
  return handleRest;

  async function handleRest(req: Request): Promise<Response> {
    const requestId = requestIdFrom(req.headers);
    const ip = clientIpFrom(req.headers, opts.clientAddress);
    let headers: Record<string, string> = { 'x-request-id': requestId };
    const fail = (status: number, code: string, message: string, extra?: Record<string, string>) =>
      Response.json(errorBody(code, message, requestId), { status, headers: { ...headers, ...extra } });

    try {
      const badUrl = malformedUrlEncoding(req.url);
      if (badUrl) return fail(400, 'BAD_REQUEST', badUrl);

      let principal: Principal | null = null;
      let rejected: TokenRejected | null = null;
      const authorization = req.headers.get('authorization');
      if (authorization !== null) {
        const bearer = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization)?.[1];
        try {
          if (!bearer) throw new TokenRejected('malformed');
          const { token, person } = await verifyApiToken(db, bearer, ip);
          principal = {
            via: 'token',
            person,
            token: { id: token.id, name: token.name, scopes: token.scopes as never },
          };
        } catch (error) {
          if (!(error instanceof TokenRejected)) throw error;
          rejected = error;
        }
      } else if (opts.resolveSession) {
        const person = await opts.resolveSession(req);
        if (person) principal = { via: 'session', person };
      }

      // One budget per person, whichever of their tokens or their session calls (`rateLimitKey`); failed
      // bearer attempts count against the address, so guessing tokens is rate-limited too. Counted here,
      // once: the context says so (`rateLimitCounted`), and the procedure does not count it again.
      const { rate, monthly } = await consumeCallBudget(db, rules, principal, ip);
      headers = { ...headers, ...rateLimitHeaders(rate) };
      if (!rate.allowed) return fail(429, 'TOO_MANY_REQUESTS', tooManyRequestsMessage(rate));
      if (monthly) {
        return fail(429, 'TOO_MANY_REQUESTS', monthlyQuotaMessage(monthly), {
          'retry-after': String(monthly.retryAfterSeconds),
        });
      }
      if (rejected) {
        return fail(401, 'UNAUTHORIZED', rejected.message, {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }

      const { forwarded, text } = await withCheckedBody(req, maxBodyBytes);
      // The session cookie rides along on any page's request; a write on it must prove it is the portal's.
      if (principal?.via === 'session' && isWriteMethod(req.method)) {
        const allowed = opts.portalOrigins?.(principal.person, req.headers) ?? [new URL(req.url).origin];
        const refusal = cookieWriteRefusal(req, allowed, text);
        if (refusal) return fail(403, 'FORBIDDEN', refusal);
      }
      const csv = findCsvRoute(req.method, new URL(req.url).pathname.slice(endpoint.length));
      if (csv) {
        const ctx = await contextFor({
          principal,
          headers: req.headers,
          requestId,
          ip,
          rateLimitCounted: true,
        });
        return await answerCsv(csv, new URL(req.url), ctx, headers, requestId);
      }
      const res = await createOpenApiFetchHandler({
        endpoint,
        req: forwarded,
        router: appRouter,
        createContext: () =>
          contextFor({ principal, headers: req.headers, requestId, ip, rateLimitCounted: true }),
        onError: ({ error, path }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            console.error(`[rest] ${path ?? req.url} failed (request ${requestId})`, error.cause ?? error);
          }
        },
      });

      const out = new Headers(res.headers);
      for (const [k, v] of Object.entries(headers)) out.set(k, v);
      if (res.status < 400) return new Response(res.body, { status: res.status, headers: out });
      const upstream = (await res.json().catch(() => ({}))) as Parameters<typeof reshapeError>[0];
      out.set('content-type', 'application/json');
      return new Response(JSON.stringify(reshapeError(upstream, requestId)), {
        status: res.status,
        headers: out,
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE')
        return fail(413, error.code, error.message);
      if (error instanceof AppError && error.code === 'BAD_REQUEST')
        return fail(400, error.code, error.message);
      console.error(`[rest] ${req.method} ${req.url} failed (request ${requestId})`, error);
      return fail(500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side.');
    }
  }
}

/**
 * Re-issues the request with its body read under the size limit and decoded as strict UTF-8. An empty
 * body on a method that takes one becomes `{}`, so `curl -X POST …/restore` works without -d.
 */
async function withCheckedBody(
  req: Request,
  maxBytes: number,
): Promise<{ forwarded: Request; text: string }> {
  if (!bodyMethods.has(req.method)) return { forwarded: req, text: '' };
  const text = await readBodyText(req, maxBytes);
  const headers = new Headers(req.headers);
  if (text.trim() === '') {
    headers.set('content-type', 'application/json');
    return { forwarded: new Request(req.url, { method: req.method, headers, body: '{}' }), text };
  }
  return { forwarded: new Request(req.url, { method: req.method, headers, body: text }), text };
}
