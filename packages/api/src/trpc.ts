import type { Scope } from '@pocket-smyth/core';
import { AppError } from '@pocket-smyth/core';
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError, z } from 'zod';
import type { Context } from './context';
import { consumeCallBudget, monthlyQuotaMessage, tooManyRequestsMessage } from './rest/rate-limit';
import { findLoneSurrogate } from './rest/well-formed';

/**
 * `scope`: what an API token needs to call the procedure; none means tokens cannot call it.
 * `csv`: the procedure is a streamed CSV download at this REST path (`rest/csv-routes.ts`): it returns a
 * `CsvDownload`, which the REST adapter streams as `text/csv`, instead of JSON through trpc-to-openapi.
 */
export type ProcedureMeta = OpenApiMeta<{
  scope?: Scope;
  csv?: { method: 'GET'; path: `/${string}`; summary: string; description?: string };
}>;

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Log follows (docs/ARCHITECTURE.md, "Agent logs") are SSE streams: a ping keeps proxies from
    // closing a quiet one, and after ten minutes the server ends it and the client reconnects with the
    // last event id, so a tab left open for days holds no stream for days.
    sse: {
      ping: { enabled: true, intervalMs: 15_000 },
      maxDurationMs: 10 * 60_000,
      client: { reconnectAfterInactivityMs: 30_000 },
    },
    // No transformer: plain JSON, which is all the outputs need (a moment is an ISO string,
    // schemas/date.ts), and the browser then needs no superjson (docs/ARCHITECTURE.md, "Layers").
    errorFormatter({ shape, error, ctx }) {
      const zodError = error.cause instanceof ZodError ? error.cause : null;
      // Internal errors keep their stack in the server log, never in the response.
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: internal ? 'Something went wrong on our side.' : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          requestId: ctx?.requestId ?? null,
          fieldErrors: zodError ? z.flattenError(zodError).fieldErrors : null,
          details: error.cause instanceof AppError ? (error.cause.details ?? null) : null,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Turns the domain's AppError into the matching tRPC error, so procedures just throw AppError. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

/**
 * Counts every call against its caller's budget (docs/ARCHITECTURE.md, "REST"): a person's, shared by
 * all their tokens and their session, or the address's when anonymous, before authorization, so
 * anonymous calls are counted too. Over it, or over the plan's monthly API calls for a token call:
 * TOO_MANY_REQUESTS, with `details.retryAfterSeconds` (and the month's `resetAt`). A
 * context without limits is not counted here: the REST adapter counted the request before dispatching
 * it (so it answers 429 with its RateLimit headers, and counts failed bearer attempts), and tests and
 * tools bring none.
 */
const countCall = t.middleware(async ({ ctx, next }) => {
  if (ctx.rateLimits) {
    const { rate, monthly } = await consumeCallBudget(ctx.db, ctx.rateLimits, ctx.principal, ctx.ip);
    if (!rate.allowed) {
      throw new AppError('TOO_MANY_REQUESTS', tooManyRequestsMessage(rate), {
        retryAfterSeconds: rate.resetSeconds,
      });
    }
    if (monthly) {
      throw new AppError('TOO_MANY_REQUESTS', monthlyQuotaMessage(monthly), {
        retryAfterSeconds: monthly.retryAfterSeconds,
        resetAt: monthly.resetAt.toISOString(),
      });
    }
  }
  return next();
});

/**
 * Input holding a lone UTF-16 surrogate (`"\ud800"` is valid JSON) is refused before any schema sees
 * it, for every procedure and both transports (`rest/well-formed.ts`).
 */
const refuseIllFormedText = t.middleware(async ({ getRawInput, next }) => {
  const where = findLoneSurrogate(await getRawInput());
  if (where !== null) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Invalid input: ${where} is not well-formed text (it holds a lone UTF-16 surrogate).`,
    });
  }
  return next();
});

export const publicProcedure = t.procedure.use(mapAppErrors).use(countCall).use(refuseIllFormedText);

/**
 * Signed in, whatever the status: only `me` uses it, so a rejected or revoked person can read why.
 * An API token gets through only with the scope the procedure names in its meta.
 */
export const sessionProcedure = publicProcedure.use(({ ctx, meta, next }) => {
  const principal = ctx.principal;
  if (!principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  if (principal.via === 'token') {
    if (!meta?.scope) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'API tokens cannot call this operation.' });
    }
    if (!principal.token.scopes.includes(meta.scope)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This token lacks the ${meta.scope} scope.` });
    }
  }
  return next({ ctx: { ...ctx, principal } });
});

const blockedMessage = {
  rejected: 'Your request to join was rejected.',
  revoked: 'Your access has been revoked.',
} as const;

/** Signed in and in good standing (onboarding, pending or active). */
export const authedProcedure = sessionProcedure.use(({ ctx, next }) => {
  const { status } = ctx.principal.person;
  if (status === 'rejected' || status === 'revoked') {
    throw new TRPCError({ code: 'FORBIDDEN', message: blockedMessage[status] });
  }
  return next();
});

/** An approved person. */
export const activeProcedure = authedProcedure.use(({ ctx, next }) => {
  const { status } = ctx.principal.person;
  if (status !== 'active') {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message:
        status === 'pending' ? 'Your account is waiting for approval.' : 'Finish onboarding to continue.',
    });
  }
  return next();
});

/** An active admin. */
export const adminProcedure = activeProcedure.use(({ ctx, next }) => {
  if (ctx.principal.person.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins can do this.' });
  }
  return next();
});
