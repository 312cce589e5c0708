import { createHash, timingSafeEqual } from 'node:crypto';
import { systemMetricsSnapshot, TokenRejected, verifyApiToken } from '@pocket-smyth/core';
import type { Db } from '@pocket-smyth/db';
import { errorBody } from '../rest/error-body';
import { type ClientAddressRule, clientIpFrom, requestIdFrom } from '../rest/request-meta';
import type { HttpMetrics } from './http-metrics';
import { renderSystemMetrics } from './prometheus';

export interface MetricsHandlerOptions {
  db: Db;
  /** This instance's HTTP series. */
  http: HttpMetrics;
  /** METRICS_TOKEN: a bearer secret for the scraper alone, so it needs no admin's API token. */
  metricsToken?: string | null | undefined;
  clientAddress?: ClientAddressRule;
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * `GET /api/metrics` (docs/ARCHITECTURE.md, "Health"): Prometheus text for the metrics token, or an
 * active admin's API token with `admin:system:read`. Nothing for anyone else: 401 without (or with a
 * bad) token, 403 for a token that is not an admin's or lacks the scope.
 */
export function createMetricsHandler(opts: MetricsHandlerOptions): (req: Request) => Promise<Response> {
  return async (req) => {
    const requestId = requestIdFrom(req.headers);
    const fail = (status: number, code: string, message: string) =>
      Response.json(errorBody(code, message, requestId), {
        status,
        headers: { 'x-request-id': requestId, ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
      });
    const bearer = /^Bearer[ ]+(\S+)[ ]*$/i.exec(req.headers.get('authorization') ?? '')?.[1];
    if (!bearer)
      return fail(401, 'UNAUTHORIZED', 'Send the metrics token or an admin API token as a Bearer token.');
    if (!(opts.metricsToken && sameSecret(bearer, opts.metricsToken))) {
      try {
        const { token, person } = await verifyApiToken(
          opts.db,
          bearer,
          clientIpFrom(req.headers, opts.clientAddress),
        );
        if (person.role !== 'admin') return fail(403, 'FORBIDDEN', 'Metrics are for admins.');
        if (!(token.scopes as string[]).includes('admin:system:read')) {
          return fail(403, 'FORBIDDEN', 'This token lacks the admin:system:read scope.');
        }
      } catch (error) {
        if (error instanceof TokenRejected)
          return fail(401, 'UNAUTHORIZED', 'Unknown, expired or revoked token.');
        throw error;
      }
    }
    const body = renderSystemMetrics(await systemMetricsSnapshot(opts.db)) + opts.http.render();
    return new Response(body, {
      headers: {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'cache-control': 'no-store',
        'x-request-id': requestId,
      },
    });
  };
}
