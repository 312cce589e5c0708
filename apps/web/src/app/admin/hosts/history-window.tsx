'use client';

import { useRouter } from 'next/navigation';
import { type ReactNode, useState, useTransition } from 'react';
import { Button } from '~/components/ui/button';
import { type WindowHours, windows, withWindow } from './history-windows';

/**
 * The interactive frame of a host's "Over time" charts (host-history.tsx draws them on the server):
 * the 1/6/24 h switch, which puts the choice in the URL for the server to render, and the status line,
 * which says "Updating…" until the new charts have arrived; the old ones stay up meanwhile.
 */
export function HistoryWindow({
  id,
  name,
  hours,
  status,
  failed,
  children,
}: {
  id: string;
  name: string;
  /** The window drawn. */
  hours: WindowHours;
  status: string;
  /** The history could not be read: the status line is the error, with a retry. */
  failed: boolean;
  children: ReactNode;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [wanted, setWanted] = useState(hours);
  const pressed = pending ? wanted : hours;
  return (
    <section className="mt-4 border-t border-border pt-4" aria-busy={pending}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-medium">Over time</h3>
        <fieldset className="flex gap-1">
          <legend className="sr-only">Chart window for {name}</legend>
          {windows.map((w) => (
            <Button
              key={w.hours}
              variant={w.hours === pressed ? 'secondary' : 'ghost'}
              className="px-2.5 py-1 text-xs"
              aria-pressed={w.hours === pressed}
              onClick={() => {
                setWanted(w.hours);
                startTransition(() =>
                  router.replace(`${location.pathname}${withWindow(location.search, id, w.hours)}`, {
                    scroll: false,
                  }),
                );
              }}
            >
              {w.short}
            </Button>
          ))}
        </fieldset>
      </div>
      {children}
      {/* One line of fixed height for every state, so the card never jumps; read out when it changes. */}
      <div className="mt-2 flex min-h-7 items-center justify-between gap-2 text-xs" role="status">
        <span className={`truncate ${failed && !pending ? 'text-danger' : 'text-muted'}`} title={status}>
          {pending ? 'Updating…' : status}
        </span>
        {failed ? (
          <Button
            variant="ghost"
            className="shrink-0 px-2 py-0.5 text-xs"
            onClick={() => startTransition(() => router.refresh())}
          >
            Retry
          </Button>
        ) : null}
      </div>
    </section>
  );
}
