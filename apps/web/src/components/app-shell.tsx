import type { Person } from '@pocket-smyth/api';
import type { ReactNode } from 'react';
import { AppHeader } from './app-header';
import { TimeZoneProvider } from './ui/time';

/**
 * The frame of a signed-in page (the dashboard and the admin panel): header, the main column, and the
 * viewer's chosen time zone for every date shown inside.
 */
export function AppShell({ viewer, children }: { viewer: Person; children: ReactNode }) {
  return (
    <TimeZoneProvider timeZone={viewer.preferences.timeZone}>
      <AppHeader email={viewer.email} isAdmin={viewer.role === 'admin'} />
      <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8">{children}</main>
    </TimeZoneProvider>
  );
}
