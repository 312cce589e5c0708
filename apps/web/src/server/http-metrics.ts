import 'server-only';
import { createHttpMetrics, type HttpMetrics } from '@pocket-smyth/api';

/**
 * This process's HTTP series for GET /api/metrics, on globalThis: the route handlers' bundle and the
 * start-up one that hands server.mjs its REST handler (instrumentation-node.ts) each load this module,
 * and both must count into the same series.
 */
export function httpMetrics(): HttpMetrics {
  const global = globalThis as unknown as { pocketSmythHttpMetrics?: HttpMetrics };
  global.pocketSmythHttpMetrics ??= createHttpMetrics();
  return global.pocketSmythHttpMetrics;
}

/** Wraps a route handler so each answer is counted under `route` (a fixed name, never the raw path). */
export function countedAs<R extends Request, A extends unknown[]>(
  route: string,
  handler: (req: R, ...rest: A) => Promise<Response> | Response,
): (req: R, ...rest: A) => Promise<Response> {
  return async (req, ...rest) => {
    const started = performance.now();
    const res = await handler(req, ...rest);
    httpMetrics().observe({
      route,
      method: req.method,
      status: res.status,
      seconds: (performance.now() - started) / 1000,
    });
    return res;
  };
}
