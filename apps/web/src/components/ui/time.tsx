'use client';

import { useSyncExternalStore } from 'react';
import { formatDateTime, timeAgo } from '../format';

/**
 * Times as people read them: "3 minutes ago" that keeps up, and dates in the browser's own time zone.
 * The server renders a moment earlier and in its own zone (UTC in a container), so the browser's first
 * render would not match the HTML and React would throw the server's page away and render it again. The
 * first render therefore repeats the server's (the zone is fixed to UTC; a relative time may be a second
 * behind, which is allowed below), and the browser's values follow right after hydration.
 */

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

const utc = (date: Date) => `${formatDateTime(date, 'UTC')} UTC`;

/** "5 minutes ago", kept current, with the exact date and time on hover. */
export function TimeAgo({ date, className }: { date: Date; className?: string }) {
  const browser = useBrowserTick() >= 0;
  return (
    <time
      dateTime={date.toISOString()}
      title={browser ? formatDateTime(date) : utc(date)}
      className={className}
      // Server and browser compute "ago" a moment apart: a second's difference is not an error.
      suppressHydrationWarning
    >
      {timeAgo(date)}
    </time>
  );
}

/** A date and time in the browser's time zone. */
export function DateTime({ date, className }: { date: Date; className?: string }) {
  const browser = useBrowserTick() >= 0;
  return (
    <time dateTime={date.toISOString()} className={className}>
      {browser ? formatDateTime(date) : utc(date)}
    </time>
  );
}
