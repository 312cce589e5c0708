import 'server-only';
import { createCaller, originRefusal } from '@pocket-smyth/api';
import { TRPCError } from '@trpc/server';
import { refresh } from 'next/cache';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { ZodError } from 'zod';
import { requestServices } from './request-services';
import { createRequestContext } from './trpc-context';
import { getViewer } from './viewer';

/**
 * What a server action tells the island that called it: the procedure's result, or the message to
 * show. Plain JSON, as everything crossing the action boundary must be.
 */
export type ActionResult<T = null> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined> };

type Caller = ReturnType<typeof createCaller>;

/**
 * The portal's pages change things through server actions, and every action is one call of a tRPC
 * procedure through this function (docs/ARCHITECTURE.md, "Portal pages"), so the procedure's meta
 * still decides who may, its zod schema still checks the input, and the audit event is still written
 * by the domain code. The browser sends no tRPC or query-client code: the page is rendered on the
 * server and the action's answer re-renders it (`refresh()`), in the same round trip.
 *
 * Before the call, the same origin rule as `/api/trpc` writes (`originRefusal`): Next's own check
 * trusts `X-Forwarded-Host`, which a client chooses. A signed-out caller is sent to sign in. A
 * refused call becomes `{ ok: false, error }` with the procedure's own message; anything else is a
 * bug and throws, so Next's error boundary shows it.
 */
export async function procedureAction<T>(
  call: (caller: Caller) => Promise<T>,
  options: {
    /**
     * False for a change after which the island leaves the page (a deletion): rendering the page again
     * would read everything it shows only to find the person gone, and the browser never shows it.
     */
    refresh?: boolean;
  } = {},
): Promise<ActionResult<T>> {
  const requestHeaders = await headers();
  const viewer = await getViewer();
  if (!viewer) redirect('/signin');
  const refusal = originRefusal(
    requestHeaders,
    requestServices.portalOrigins?.(viewer, requestHeaders) ?? [],
  );
  if (refusal) return { ok: false, error: refusal };
  let data: T;
  try {
    data = await call(createCaller(await createRequestContext(requestHeaders)));
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (error.code === 'UNAUTHORIZED') redirect('/signin');
    if (error.cause instanceof ZodError) {
      const flat = error.cause.flatten();
      const first = error.cause.issues[0];
      return {
        ok: false,
        error: first
          ? `${first.path.length ? `${first.path.join('.')}: ` : ''}${first.message}`
          : error.message,
        fieldErrors: flat.fieldErrors as Record<string, string[] | undefined>,
      };
    }
    return {
      ok: false,
      error: error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on our side.' : error.message,
    };
  }
  if (options.refresh !== false) refresh();
  return { ok: true, data };
}
