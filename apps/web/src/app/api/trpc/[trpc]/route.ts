import { appRouter } from '@pocket-smyth/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createRequestContext } from '~/server/trpc-context';

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    router: appRouter,
    req,
    createContext: () => createRequestContext(req.headers),
    responseMeta: ({ ctx }) => ({ headers: ctx ? { 'x-request-id': ctx.requestId } : {} }),
    onError: ({ error, path, ctx }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        console.error(
          `[trpc] ${path ?? '?'} failed (request ${ctx?.requestId ?? '-'})`,
          error.cause ?? error,
        );
      }
    },
  });
}

export { handler as GET, handler as POST };
