import type { Metadata } from 'next';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { Plans } from './plans';

export const metadata: Metadata = { title: 'Plans' };

/**
 * Plans (docs/ARCHITECTURE.md, "Plans and quotas"): what each person may use. Prefetched so the first
 * paint has them; people are put on a plan from the People list or the person's page.
 */
export default async function PlansPage() {
  const queryClient = getServerQueryClient();
  await queryClient.prefetchQuery(trpcServer.admin.plans.list.queryOptions());
  return (
    <TRPCReactProvider>
      <HydrateClient>
        <Plans />
      </HydrateClient>
    </TRPCReactProvider>
  );
}
