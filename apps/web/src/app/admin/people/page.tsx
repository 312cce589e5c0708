import type { Metadata } from 'next';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { peopleQueryInput, personStatusOrNone, planIdOrNone } from './people-query';
import { PeopleTable } from './people-table';

export const metadata: Metadata = { title: 'People' };

export default async function PeoplePage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string; plan?: string }>;
}) {
  const params = await searchParams;
  const initialStatus = personStatusOrNone(params.status);
  const initialPlanId = planIdOrNone(params.plan);
  const queryClient = getServerQueryClient();
  await Promise.all([
    queryClient.prefetchInfiniteQuery(
      trpcServer.admin.users.list.infiniteQueryOptions(
        peopleQueryInput({ status: initialStatus, planId: initialPlanId }),
        { getNextPageParam: (last) => last.nextCursor ?? undefined },
      ),
    ),
    queryClient.prefetchQuery(trpcServer.admin.plans.list.queryOptions()),
  ]);
  return (
    <>
      <h1 className="text-2xl font-semibold">People</h1>
      <TRPCReactProvider>
        <HydrateClient>
          <PeopleTable initialStatus={initialStatus} initialPlanId={initialPlanId} />
        </HydrateClient>
      </TRPCReactProvider>
    </>
  );
}
