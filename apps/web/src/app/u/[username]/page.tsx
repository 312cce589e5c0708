import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { AppShell } from '~/components/app-shell';
import { env } from '~/env';
import { portalView } from '~/server/links';
import { getViewer, homeFor } from '~/server/viewer';
import { ReadOnlyPortal } from '../../_dashboard/read-only-portal';

export const metadata: Metadata = { title: 'Portal, read-only' };

/**
 * `/u/{username}`: an admin's read-only view of a person's portal on a single origin, what
 * `{username}.DOMAIN` shows them in subdomain mode (docs/ARCHITECTURE.md, "Hostnames"). The owner is
 * sent to their own dashboard; anyone else who is not an active admin gets the same 404 as for a name
 * nobody has, so the page does not tell who exists.
 */
export default async function PortalViewPage({ params }: { params: Promise<{ username: string }> }) {
  const username = (await params).username.toLowerCase();
  // Anything but a username's letters cannot name anybody (core/usernames.ts).
  if (!/^[a-z0-9-]{1,64}$/.test(username)) notFound();
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/' || !viewer?.username) redirect(homeFor(viewer));
  if (viewer.username === username) redirect('/');
  if (viewer.role !== 'admin') notFound();
  if (env.DOMAIN) redirect(await portalView(username));
  return (
    <AppShell viewer={viewer}>
      <ReadOnlyPortal ownerUsername={username} />
    </AppShell>
  );
}
