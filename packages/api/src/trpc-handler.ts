import type { Person } from '@pocket-smyth/core';
import { AppError } from '@pocket-smyth/core';
import { TRPCError } from '@trpc/server';
import { resolveResponse } from '@trpc/server/http';
import { createContextFactory, type RequestServices } from './context';
import { cookieWriteRefusal, isWriteMethod } from './request-origin';
import { readBodyText } from './rest/read-body';
import { requestIdFrom } from './rest/request-meta';
import { malformedUrlEncoding } from './rest/well-formed';
import { appRouter } from './root';

/** The services every request context gets (the same object the REST adapter gets), plus the session. */
export interface TrpcHandlerOptions extends RequestServices {
  /** The signed-in browser session: the only credential `/api/trpc` takes. */
  resolveSession: (req: Request) => Promise<Person | null>;
  /** Bodies above this are refused before they are parsed. Default 1 MiB, as on REST. */
  maxBodyBytes?: number;
  /** Where tRPC is mounted. Default `/api/trpc`. */
  endpoint?: `/${string}`;
}

/**
 * `/api/trpc` with the REST adapter's edge rules (docs/ARCHITECTURE.md, "Security rules" and "REST"):
 * a URL that decodes as UTF-8, a bounded strict-UTF-8 body (tRPC alone would decode it leniently),
 * and writes on the session cookie only from the portal's own origins (`request-origin.ts`), checked
 * before tRPC looks at the body's type. It is tRPC's fetch adapter with one difference: a request
 * refused here reaches `resolveResponse` with that refusal as its `error` (tRPC's own hook for "the
 * request had an issue before reaching the handler"), so each call it named answers BAD_REQUEST,
 * PAYLOAD_TOO_LARGE or FORBIDDEN in tRPC's error shape. Every answer carries X-Request-Id.
 */
export function createTrpcHandler(opts: TrpcHandlerOptions): (req: Request) => Promise<Response> {
  const contextFor = createContextFactory(opts);
  const endpoint = trimSlashes(opts.endpoint ?? '/api/trpc');
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;

  return async function handleTrpc(req: Request): Promise<Response> {
    const requestId = requestIdFrom(req.headers);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    let refused: TRPCError | null = null;
    let forwarded = req;
    let bodyText = '';
    // Undefined until asked for: a write needs it before tRPC runs, a query only in its context.
    let session: Person | null | undefined;

    const badUrl = malformedUrlEncoding(req.url);
    if (badUrl) refused = new TRPCError({ code: 'BAD_REQUEST', message: badUrl });
    else if (hasBody) {
      try {
        bodyText = await readBodyText(req, maxBodyBytes);
        forwarded = new Request(req.url, { method: req.method, headers: req.headers, body: bodyText });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const code = error.code === 'PAYLOAD_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
        refused = new TRPCError({ code, message: error.message });
      }
    }
    if (!refused && isWriteMethod(req.method)) {
      session = await opts.resolveSession(req);
      if (session) {
        const allowed = opts.portalOrigins?.(session, req.headers) ?? [new URL(req.url).origin];
        const refusal = cookieWriteRefusal(req, allowed, bodyText);
        if (refusal) refused = new TRPCError({ code: 'FORBIDDEN', message: refusal });
      }
    }
    if (refused) {
      // tRPC still reads the call list from the path and the body; hand it a request it can read (the
      // calls, an empty JSON body, no query but `batch`), and the refusal to answer each call with.
      const url = new URL(req.url);
      url.search = url.searchParams.get('batch') === '1' ? '?batch=1' : '';
      const headers = new Headers(req.headers);
      headers.set('content-type', 'application/json');
      headers.delete('content-length');
      forwarded = new Request(url, { method: req.method, headers, ...(hasBody ? { body: '{}' } : {}) });
    }

    const pathname = trimSlashes(new URL(forwarded.url).pathname);
    const res = await resolveResponse({
      router: appRouter,
      req: forwarded,
      path: trimSlashes(pathname.slice(endpoint.length)),
      error: refused,
      createContext: async () => {
        const person = session === undefined ? await opts.resolveSession(req) : session;
        return contextFor({
          principal: person ? { via: 'session', person } : null,
          headers: req.headers,
          requestId,
        });
      },
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          console.error(`[trpc] ${path ?? '?'} failed (request ${requestId})`, error.cause ?? error);
        }
      },
    });
    const headers = new Headers(res.headers);
    headers.set('x-request-id', requestId);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
