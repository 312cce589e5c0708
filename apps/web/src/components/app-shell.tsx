import type { Person } from '@pocket-smyth/core';
import type { ReactNode } from 'react';
import { AppHeader } from './app-header';
import { TimeZoneProvider } from './ui/time';

/**
 * The frame of a signed-in page (the dashboard and the admin panel): header, the main column, and the
 * viewer's chosen time zone for every date shown inside.
 */
export function AppShell({
  viewer,
  children,
  fullBleed = false,
}: {
  viewer: Person;
  children: ReactNode;
  /** The page fills the window under the header, edge to edge (the framed agent, app/launch). */
  fullBleed?: boolean;
}) {
  return (
    <TimeZoneProvider timeZone={viewer.preferences.timeZone}>
      {/* First in the tab order: past the header's links (seven for an admin) to the page itself. */}
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-surface focus:px-3 focus:py-2 focus:text-sm"
      >
        Skip to content
      </a>
      <AppHeader email={viewer.email} isAdmin={viewer.role === 'admin'} />
      {fullBleed ? (
        <main id="main" tabIndex={-1} className="flex min-h-0 flex-1 flex-col outline-none">
          {children}
        </main>
      ) : (
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8 outline-none"
        >
          {children}
        </main>
      )}
    </TimeZoneProvider>
  );
}
