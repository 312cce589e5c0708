import 'server-only';
import { appRouter } from '@pocket-smyth/api';
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { cache, type ReactNode } from 'react';
import { createRequestContext } from '~/server/trpc-context';

/**
 * Server-side prefetch for client components: a page awaits the queries it shows first, and
 * `HydrateClient` hands their results to the browser's cache under the same keys, so the first paint
 * already has the data (no spinner, no layout shift) and the client only refetches when it is stale.
 * Outputs are plain JSON (a moment is an ISO string), so what is handed over here and what the client
 * fetches later are the same values. A prefetch that fails is simply not handed over: the client
 * fetches it again and shows its error state.
 */
export const getServerQueryClient = cache(
  () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: false } } }),
);

export const trpcServer = createTRPCOptionsProxy({
  router: appRouter,
  ctx: async () => createRequestContext(await headers()),
  queryClient: getServerQueryClient,
});

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getServerQueryClient())}>{children}</HydrationBoundary>;
}
