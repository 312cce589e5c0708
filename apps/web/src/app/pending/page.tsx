import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getViewer, homeFor } from '~/server/viewer';
import { TRPCReactProvider } from '~/trpc/react';
import { PendingStatus } from './pending-status';

export const metadata: Metadata = { title: 'Waiting for approval' };

export default async function PendingPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/pending') redirect(homeFor(viewer));
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-6 px-4 py-12">
      <TRPCReactProvider>
        <PendingStatus />
      </TRPCReactProvider>
    </main>
  );
}
