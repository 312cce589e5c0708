import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AppShell } from '~/components/app-shell';
import { env } from '~/env';
import { getViewer, homeFor } from '~/server/viewer';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { PendingStatus } from './pending-status';

export const metadata: Metadata = { title: 'Waiting for approval' };

export default async function PendingPage() {
  const viewer = await getViewer();
  if (!viewer || homeFor(viewer) !== '/pending') redirect(homeFor(viewer));
  // When the request was made (or why it was refused) is on the first paint.
  await getServerQueryClient().prefetchQuery(trpcServer.user.me.queryOptions());
  return (
    <AppShell viewer={viewer}>
      <div className="mx-auto flex w-full max-w-lg flex-col gap-6 py-4 sm:py-12">
        <TRPCReactProvider>
          <HydrateClient>
            <PendingStatus contact={env.ADMIN_CONTACT} />
          </HydrateClient>
        </TRPCReactProvider>
      </div>
    </AppShell>
  );
}
