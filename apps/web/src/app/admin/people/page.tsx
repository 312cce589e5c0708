import type { Metadata } from 'next';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { peopleQueryInput, personStatusOrNone } from './people-query';
import { PeopleTable } from './people-table';

export const metadata: Metadata = { title: 'People' };

export default async function PeoplePage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const initialStatus = personStatusOrNone((await searchParams).status);
  await getServerQueryClient().prefetchInfiniteQuery(
    trpcServer.admin.users.list.infiniteQueryOptions(peopleQueryInput({ status: initialStatus }), {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  );
  return (
    <>
      <h1 className="text-2xl font-semibold">People</h1>
      <TRPCReactProvider>
        <HydrateClient>
          <PeopleTable initialStatus={initialStatus} />
        </HydrateClient>
      </TRPCReactProvider>
    </>
  );
}
