import type { Person } from '@pocket-smyth/core';
import { AppError, TokenRejected, verifyApiToken } from '@pocket-smyth/core';
import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { createContextFactory, type Principal, type RequestServices } from '../context';
import { appRouter } from '../root';
import { errorBody, reshapeError } from './error-body';
import { consumeRateLimit, type RateLimitRule, rateLimitHeaders } from './rate-limit';
import { readBodyText } from './read-body';
import { clientIpFrom, requestIdFrom } from './request-meta';

/** The services every request context gets (the same object the app gives `/api/trpc`), plus REST's own. */
export interface RestHandlerOptions extends RequestServices {
  /** The signed-in browser session, so the same routes work from the dashboard. */
  resolveSession?: (req: Request) => Promise<Person | null>;
  rateLimits?: { authenticated: RateLimitRule; anonymous: RateLimitRule };
  /** Bodies above this are refused with 413 before they are parsed. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Where the REST routes are mounted. Default `/api`. */
  endpoint?: `/${string}`;
}

export const defaultRateLimits = {
  authenticated: { limit: 600, windowMs: 60_000 },
  anonymous: { limit: 60, windowMs: 60_000 },
} satisfies RestHandlerOptions['rateLimits'];

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The REST adapter: bearer tokens or the session, a shared rate limit, a bounded strict-UTF-8 body,
 * then trpc-to-openapi dispatching to the same procedures the dashboard calls. Every answer carries
 * X-Request-Id; every error has one shape.
 */
export function createRestHandler(opts: RestHandlerOptions): (req: Request) => Promise<Response> {
  const { db } = opts;
  const rules = opts.rateLimits ?? defaultRateLimits;
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
  const endpoint = opts.endpoint ?? '/api';
  const contextFor = createContextFactory(opts);

  return async function handleRest(req: Request): Promise<Response> {
    const requestId = requestIdFrom(req.headers);
    const ip = clientIpFrom(req.headers);
    let headers: Record<string, string> = { 'x-request-id': requestId };
    const fail = (status: number, code: string, message: string, extra?: Record<string, string>) =>
      Response.json(errorBody(code, message, requestId), { status, headers: { ...headers, ...extra } });

    try {
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

      // Failed bearer attempts count against the address, so guessing tokens is rate-limited too.
      const key =
        principal?.via === 'token'
          ? `token:${principal.token.id}`
          : principal
            ? `person:${principal.person.id}`
            : `ip:${ip ?? 'unknown'}`;
      const decision = await consumeRateLimit(db, key, principal ? rules.authenticated : rules.anonymous);
      headers = { ...headers, ...rateLimitHeaders(decision) };
      if (!decision.allowed) {
        return fail(429, 'TOO_MANY_REQUESTS', `Too many requests; try again in ${decision.resetSeconds} s.`);
      }
      if (rejected) {
        return fail(401, 'UNAUTHORIZED', rejected.message, {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }

      const forwarded = await withCheckedBody(req, maxBodyBytes);
      const res = await createOpenApiFetchHandler({
        endpoint,
        req: forwarded,
        router: appRouter,
        createContext: () => contextFor({ principal, headers: req.headers, requestId, ip }),
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
  };
}

/**
 * Re-issues the request with its body read under the size limit and decoded as strict UTF-8. An empty
 * body on a method that takes one becomes `{}`, so `curl -X POST …/restore` works without -d.
 */
async function withCheckedBody(req: Request, maxBytes: number): Promise<Request> {
  if (!bodyMethods.has(req.method)) return req;
  const text = await readBodyText(req, maxBytes);
  const headers = new Headers(req.headers);
  if (text.trim() === '') {
    headers.set('content-type', 'application/json');
    return new Request(req.url, { method: req.method, headers, body: '{}' });
  }
  return new Request(req.url, { method: req.method, headers, body: text });
}
