'use client';

import { lazy, Suspense, useEffect, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import type { LogSource } from './log-source';

// The viewer and its SSE client load on the first opening: most visits never open the logs, and each
// open follow costs the worker a host call every two seconds (docs/ARCHITECTURE.md, "Agent logs").
const LogViewer = lazy(() => import('./log-viewer'));

const openKey = 'pocket-smyth.logs-open';

/** The agent's output, shown while the card is open (the choice is remembered on this browser). */
export function AgentLogsCard({ source, username }: { source: LogSource; username: string }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    setOpen(window.localStorage.getItem(openKey) === '1');
  }, []);
  const toggle = () => {
    const next = !open;
    setOpen(next);
    window.localStorage.setItem(openKey, next ? '1' : '0');
  };
  return (
    <Card
      title="Logs"
      actions={
        <Button variant="secondary" className="px-3 py-1" aria-expanded={open} onClick={toggle}>
          {/* Lucide's chevron-right drawn here, turned down when open: importing lucide into this client
              card would bring its runtime into every page that shows logs. */}
          <svg
            aria-hidden="true"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth={2}
            strokeLinecap="round"
            strokeLinejoin="round"
            className={`size-4 ${open ? 'rotate-90' : ''}`}
          >
            <path d="m9 18 6-6-6-6" />
          </svg>
          {open ? 'Hide logs' : 'Show logs'}
        </Button>
      }
    >
      {open ? (
        <Suspense fallback={<p className="text-sm text-muted">Loading logs…</p>}>
          <LogViewer source={source} username={username} />
        </Suspense>
      ) : (
        <p className="text-sm text-muted">What the agent prints, followed live while this is open.</p>
      )}
    </Card>
  );
}
