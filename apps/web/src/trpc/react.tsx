'use client';

import type { AppRouter } from '@pocket-smyth/api';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';
import { leaveWhenSignedOut } from './signed-out';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: true } },
    queryCache: new QueryCache({ onError: leaveWhenSignedOut }),
    mutationCache: new MutationCache({ onError: leaveWhenSignedOut }),
  });
}

function makeTRPCClient() {
  return createTRPCClient<AppRouter>({
    // Plain JSON: no transformer on either side (docs/ARCHITECTURE.md, "Layers").
    links: [httpBatchLink({ url: '/api/trpc' })],
  });
}

// One cache for the whole tab. The provider sits in each page that fetches from the client (not in
// the root layout) so pages that do not, such as sign-in and the admin overview, never download the
// query and tRPC client code; the singletons keep the cache when one such page leads to another.
let browserClients: { queryClient: QueryClient; trpcClient: ReturnType<typeof makeTRPCClient> } | undefined;

function getClients() {
  // On the server every request gets its own cache, so one person's data never reaches another's.
  if (typeof window === 'undefined') return { queryClient: makeQueryClient(), trpcClient: makeTRPCClient() };
  browserClients ??= { queryClient: makeQueryClient(), trpcClient: makeTRPCClient() };
  return browserClients;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [{ queryClient, trpcClient }] = useState(getClients);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
