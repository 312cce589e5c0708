'use client';

import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';

// As components/agent-logs/agent-logs-card.tsx, whose chevrons are lucide icons drawn in the browser:
// here they come drawn from the server (`openIcon`, `closedIcon`), so the page loads no icon runtime.
// The viewer and its SSE client load on the first opening (docs/ARCHITECTURE.md, "Agent logs").
const LogViewer = lazy(() => import('~/components/agent-logs/log-viewer'));

/** The same key as the shared card: the open/closed choice is one per browser. */
const openKey = 'pocket-smyth.logs-open';

/** The person's agent output, shown while the card is open (the choice is remembered on this browser). */
export function PersonLogsCard({
  personId,
  username,
  openIcon,
  closedIcon,
}: {
  personId: string;
  username: string;
  openIcon: ReactNode;
  closedIcon: ReactNode;
}) {
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
          {open ? openIcon : closedIcon}
          {open ? 'Hide logs' : 'Show logs'}
        </Button>
      }
    >
      {open ? (
        <Suspense fallback={<p className="text-sm text-muted">Loading logs…</p>}>
          <LogViewer source={{ kind: 'person', personId }} username={username} />
        </Suspense>
      ) : (
        <p className="text-sm text-muted">What the agent prints, followed live while this is open.</p>
      )}
    </Card>
  );
}
