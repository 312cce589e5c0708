import type { Metadata } from 'next';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { ActivityLog } from './activity-log';

export const metadata: Metadata = { title: 'Activity' };

export default async function AdminActivityPage() {
  // The log's first page with no filter: ActivityLog's own query with every filter empty.
  await getServerQueryClient().prefetchInfiniteQuery(
    trpcServer.admin.activity.list.infiniteQueryOptions(
      { limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  return (
    <>
      <h1 className="text-2xl font-semibold">Activity log</h1>
      <TRPCReactProvider>
        <HydrateClient>
          <ActivityLog />
        </HydrateClient>
      </TRPCReactProvider>
    </>
  );
}
