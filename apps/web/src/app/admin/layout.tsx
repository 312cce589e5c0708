import { notFound, redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppShell } from '~/components/app-shell';
import { getViewer } from '~/server/viewer';

/** Admin pages do not exist for anyone else: a 404 tells a non-admin nothing. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  if (!viewer) redirect('/signin');
  if (viewer.role !== 'admin' || viewer.status !== 'active') notFound();
  return <AppShell viewer={viewer}>{children}</AppShell>;
}
