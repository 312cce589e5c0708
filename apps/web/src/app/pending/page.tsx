import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { StatusScreen } from '~/components/status-screen';
import { TimeZoneProvider } from '~/components/ui/time';
import { getViewer, homeFor } from '~/server/viewer';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { PendingStatus } from './pending-status';

export const metadata: Metadata = { title: 'Waiting for approval' };

export default async function PendingPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/pending') redirect(homeFor(viewer));
  // When the request was made (or why it was refused) is on the first paint.
  await getServerQueryClient().prefetchQuery(trpcServer.user.me.queryOptions());
  return (
    <StatusScreen width="lg">
      <TimeZoneProvider timeZone={viewer?.preferences.timeZone}>
        <TRPCReactProvider>
          <HydrateClient>
            <PendingStatus />
          </HydrateClient>
        </TRPCReactProvider>
      </TimeZoneProvider>
    </StatusScreen>
  );
}
