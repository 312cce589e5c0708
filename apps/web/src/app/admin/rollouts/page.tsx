import type { Metadata } from 'next';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { activeRolloutOf } from './active-rollout';
import { Rollouts } from './rollouts';

export const metadata: Metadata = { title: 'Rollouts' };

/**
 * The agent image and its rollouts (docs/ARCHITECTURE.md, "Images and rollouts"): the default image,
 * starting a rollout, the active one's live progress, and past ones. Prefetched so the first paint has
 * them; the client polls the active rollout every 2 s while it moves agents.
 */
export default async function RolloutsPage() {
  const queryClient = getServerQueryClient();
  const listQuery = trpcServer.admin.rollouts.list.queryOptions();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.admin.settings.image.get.queryOptions()),
    queryClient.prefetchQuery(listQuery),
  ]);
  const active = activeRolloutOf(queryClient.getQueryData(listQuery.queryKey) ?? []);
  if (active) await queryClient.prefetchQuery(trpcServer.admin.rollouts.get.queryOptions({ id: active.id }));
  return (
    <TRPCReactProvider>
      <HydrateClient>
        <Rollouts />
      </HydrateClient>
    </TRPCReactProvider>
  );
}
