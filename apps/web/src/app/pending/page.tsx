import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AppShell } from '~/components/app-shell';
import { RefreshEvery } from '~/components/refresh-every';
import { env } from '~/env';
import { serverCaller } from '~/server/caller';
import { getViewer, homeFor } from '~/server/viewer';
import { PendingStatus } from './pending-status';

export const metadata: Metadata = { title: 'Waiting for approval' };

export default async function PendingPage() {
  const viewer = await getViewer();
  if (!viewer || homeFor(viewer) !== '/pending') redirect(homeFor(viewer));
  // Rendered here, without the browser's query client (the page's first load stays near Next's own),
  // and rendered again every 3 s: once the person is approved, the check above sends them on.
  const me = await (await serverCaller()).user.me();
  return (
    <AppShell viewer={viewer}>
      <div className="mx-auto flex w-full max-w-lg flex-col gap-6 py-4 sm:py-12">
        <PendingStatus me={me} contact={env.ADMIN_CONTACT} />
        <RefreshEvery ms={3_000} />
      </div>
    </AppShell>
  );
}
