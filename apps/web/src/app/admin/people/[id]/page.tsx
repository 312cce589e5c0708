import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { portalView } from '~/server/links';
import { getViewer } from '~/server/viewer';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { PersonDetail } from './person-detail';

export const metadata: Metadata = { title: 'Person' };

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // PersonDetail's first queries, under the same inputs.
  const queryClient = getServerQueryClient();
  const detailQuery = trpcServer.admin.users.get.queryOptions({ id });
  const [viewer] = await Promise.all([
    getViewer(),
    queryClient.prefetchQuery(detailQuery),
    queryClient.prefetchQuery(trpcServer.admin.hosts.list.queryOptions()),
    queryClient.prefetchQuery(trpcServer.admin.activity.list.queryOptions({ aboutPerson: id, limit: 20 })),
    queryClient.prefetchQuery(trpcServer.admin.users.env.list.queryOptions({ id })),
    queryClient.prefetchQuery(trpcServer.admin.plans.list.queryOptions()),
  ]);
  const person = queryClient.getQueryData(detailQuery.queryKey)?.person;
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost'}`;
  // Their portal as they see it, read-only; not for oneself (that is one's own dashboard).
  const portalHref = person?.username && viewer?.id !== id ? portalView(person.username, origin) : undefined;
  const agentId = queryClient.getQueryData(detailQuery.queryKey)?.agent?.id;
  if (agentId)
    await queryClient.prefetchQuery(trpcServer.admin.runs.list.queryOptions({ agentId, limit: 10 }));
  return (
    <TRPCReactProvider>
      <HydrateClient>
        <PersonDetail id={id} isSelf={viewer?.id === id} portalHref={portalHref} />
      </HydrateClient>
    </TRPCReactProvider>
  );
}
