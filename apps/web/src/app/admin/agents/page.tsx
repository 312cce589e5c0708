import type { Metadata } from 'next';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { agentsQueryInput } from './agents-query';
import { AgentsTable } from './agents-table';

export const metadata: Metadata = { title: 'Agents' };

export default async function AgentsPage() {
  // The unfiltered list and the hosts for the filter are on the first paint.
  const queryClient = getServerQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.admin.agents.list.queryOptions(agentsQueryInput({}))),
    queryClient.prefetchQuery(trpcServer.admin.hosts.list.queryOptions()),
  ]);
  return (
    <>
      <h1 className="text-2xl font-semibold">Agents</h1>
      <TRPCReactProvider>
        <HydrateClient>
          <AgentsTable />
        </HydrateClient>
      </TRPCReactProvider>
    </>
  );
}
