import type { Metadata } from 'next';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { latestRolloutOf } from './latest-rollout';
import { Rollouts } from './rollouts';

export const metadata: Metadata = { title: 'Rollouts' };

/**
 * The agent image and its rollouts (docs/ARCHITECTURE.md, "Images and rollouts"): the default image,
 * starting a rollout, the latest one's live progress, and past ones. Prefetched so the first paint has
 * them; the client polls the latest rollout every 2 s while it moves agents.
 */
export default async function RolloutsPage() {
  const queryClient = getServerQueryClient();
  const listQuery = trpcServer.admin.rollouts.list.queryOptions();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.admin.settings.image.get.queryOptions()),
    queryClient.prefetchQuery(listQuery),
  ]);
  const latest = latestRolloutOf(queryClient.getQueryData(listQuery.queryKey) ?? []);
  if (latest) await queryClient.prefetchQuery(trpcServer.admin.rollouts.get.queryOptions({ id: latest.id }));
  return (
    <TRPCReactProvider>
      <HydrateClient>
        <Rollouts />
      </HydrateClient>
    </TRPCReactProvider>
  );
}
