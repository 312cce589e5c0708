import { notFound, redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppHeader } from '~/components/app-header';
import { getViewer } from '~/server/viewer';

/** Admin pages do not exist for anyone else: a 404 tells a non-admin nothing. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  if (!viewer) redirect('/signin');
  if (viewer.role !== 'admin' || viewer.status !== 'active') notFound();
  return (
    <>
      <AppHeader email={viewer.email} isAdmin />
      <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8">{children}</main>
    </>
  );
}
