'use client';

import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import { formatDateTime, type Moment, msOf, timeAgo } from '../format';

/**
 * Times as people read them: "3 minutes ago" that keeps up, and dates in the time zone the viewer chose
 * in their preferences, or else the browser's own.
 *
 * With a chosen zone, server and browser format alike. Without one the server renders in its own zone
 * (UTC in a container), so the browser's first render would not match the HTML and React would throw
 * the server's page away and render it again. The first render therefore repeats the server's (the zone
 * is fixed to UTC; a relative time may be a second behind, which is allowed below), and the browser's
 * values follow right after hydration.
 */

const ViewerTimeZone = createContext<string | undefined>(undefined);

/** The zone the viewer chose, if any; dates are in the browser's zone otherwise. */
export function useViewerTimeZone(): string | undefined {
  return useContext(ViewerTimeZone);
}

/** Dates below show in `timeZone` (the viewer's preference, already validated) when it is set. */
export function TimeZoneProvider({ timeZone, children }: { timeZone?: string; children: ReactNode }) {
  return <ViewerTimeZone value={timeZone}>{children}</ViewerTimeZone>;
}

const TICK_MS = 15_000;
let tick = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

/** One interval for every time on the page, running only while one is shown. */
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    tick += 1;
    for (const notify of listeners) notify();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** -1 while rendering on the server and hydrating; the browser's tick count after. */
function useBrowserTick(): number {
  return useSyncExternalStore(
    subscribe,
    () => tick,
    () => -1,
  );
}

/** The date and time in the viewer's zone, the browser's once hydrated, or UTC (saying so) before. */
function useFormattedDateTime(date: Moment): string {
  const chosen = useViewerTimeZone();
  const browser = useBrowserTick() >= 0;
  if (chosen) return formatDateTime(date, chosen);
  return browser ? formatDateTime(date) : `${formatDateTime(date, 'UTC')} UTC`;
}

/** "5 minutes ago", kept current, with the exact date and time on hover. */
export function TimeAgo({ date, className }: { date: Moment; className?: string }) {
  const exact = useFormattedDateTime(date);
  return (
    <time
      dateTime={new Date(msOf(date)).toISOString()}
      title={exact}
      className={className}
      // Server and browser compute "ago" a moment apart: a second's difference is not an error.
      suppressHydrationWarning
    >
      {timeAgo(date)}
    </time>
  );
}

/** A date and time in the viewer's chosen time zone, or the browser's. */
export function DateTime({ date, className }: { date: Moment; className?: string }) {
  const exact = useFormattedDateTime(date);
  return (
    <time dateTime={new Date(msOf(date)).toISOString()} className={className}>
      {exact}
    </time>
  );
}
