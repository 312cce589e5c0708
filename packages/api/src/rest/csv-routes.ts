import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import type { Context } from '../context';
import { appRouter, createCaller } from '../root';
import type { CsvDownload } from './csv-download';
import { errorBody } from './error-body';

interface CsvRoute {
  method: 'GET';
  path: string;
  /** The procedure's dotted path in the router, e.g. `admin.usage.export`. */
  procedure: string;
  scope: string | undefined;
  summary: string;
  description?: string;
}

/**
 * The REST routes that stream CSV (docs/ARCHITECTURE.md, "REST"): procedures with `meta.csv`. Their
 * authorization is the procedure's own (builder and `meta.scope`), checked by calling it in-process
 * with the request's context, exactly as the OpenAPI routes are; only the answer differs: `text/csv`,
 * streamed, instead of one JSON body, so an export of any size never sits in memory.
 */
export function csvRoutes(): CsvRoute[] {
  return Object.entries(appRouter._def.procedures as Record<string, unknown>).flatMap(([procedure, p]) => {
    const meta = (p as { _def: { meta?: { scope?: string; csv?: Omit<CsvRoute, 'procedure' | 'scope'> } } })
      ._def.meta;
    return meta?.csv ? [{ ...meta.csv, procedure, scope: meta.scope }] : [];
  });
}

// Read from the router once: findCsvRoute runs on every REST request.
let byOperation: Map<string, CsvRoute> | undefined;

/** The CSV route at `method` + `path` (below the REST endpoint), if there is one. */
export function findCsvRoute(method: string, path: string): CsvRoute | undefined {
  byOperation ??= new Map(csvRoutes().map((route) => [`${route.method} ${route.path}`, route]));
  return byOperation.get(`${method} ${path}`);
}

/** Calls the route's procedure with the query parameters as input and streams its lines. */
export async function answerCsv(
  route: CsvRoute,
  url: URL,
  ctx: Context,
  headers: Record<string, string>,
  requestId: string,
): Promise<Response> {
  const input = Object.fromEntries(url.searchParams);
  let download: CsvDownload;
  try {
    let node: unknown = createCaller(ctx);
    for (const key of route.procedure.split('.')) node = (node as Record<string, unknown>)[key];
    download = (await (node as (input: unknown) => Promise<CsvDownload>)(input)) as CsvDownload;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const status = getHTTPStatusCodeFromError(error);
    const message =
      error.cause instanceof ZodError
        ? `Invalid input: ${error.cause.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`
        : error.message;
    return Response.json(errorBody(error.code, message, requestId), { status, headers });
  }
  const iterator = download.lines[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // Headers are gone already: the cut-short body is the only way left to say it failed.
        console.error(`[rest] ${route.path} failed while streaming (request ${requestId})`, error);
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      ...headers,
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${download.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'cache-control': 'no-store',
    },
  });
}
