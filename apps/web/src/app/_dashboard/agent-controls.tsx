'use client';

import { type ReactNode, useState } from 'react';
import { Button } from '~/components/ui/button';
import { ConfirmOnDemand } from '~/components/ui/confirm-on-demand';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import type { ActionResult } from '~/server/procedure-action';
import { restartAgent, startAgent, stopAgent } from './actions';

/**
 * Restart, stop and start, with their confirmations: the only part of the agent card that runs in the
 * browser. The icons come from the server card (no icon code here). Each action re-renders the page,
 * so the card and the timeline below show the run that follows.
 */
export function AgentControls({
  running,
  wantedRunning,
  changing,
  icons,
}: {
  running: boolean;
  wantedRunning: boolean;
  /** A run is moving the agent: a start waits for it (the server says so too); a stop never has to. */
  changing: boolean;
  icons: { restart: ReactNode; stop: ReactNode; start: ReactNode };
}) {
  const toast = useToast();
  const [confirming, setConfirming] = useState<null | 'restart' | 'stop'>(null);
  const restart = useAction(restartAgent);
  const stop = useAction(stopAgent);
  const start = useAction(startAgent);
  const busy = restart.pending || stop.pending || start.pending;
  async function change(action: typeof restart, message: string) {
    const answer: ActionResult = await action.run(undefined);
    if (answer.ok) toast(message);
    else toast(answer.error, 'error');
    setConfirming(null);
  }
  return (
    <>
      <Button
        variant="secondary"
        disabled={!running || !wantedRunning || busy}
        onClick={() => setConfirming('restart')}
      >
        {icons.restart}
        Restart
      </Button>
      {wantedRunning ? (
        <Button variant="secondary" disabled={busy} onClick={() => setConfirming('stop')}>
          {icons.stop}
          Stop
        </Button>
      ) : (
        <Button
          disabled={busy || changing}
          onClick={() => change(start, 'Starting your agent. Follow it in the timeline below.')}
        >
          {icons.start}
          {start.pending ? 'Starting…' : 'Start'}
        </Button>
      )}
      <ConfirmOnDemand
        open={confirming === 'restart'}
        onClose={() => setConfirming(null)}
        title="Restart your agent?"
        confirmLabel="Restart now"
        pendingLabel="Restarting…"
        pending={restart.pending}
        onConfirm={() => change(restart, 'Restart requested. Follow it in the timeline below.')}
      >
        Your agent stops and starts again; open sessions with it are cut. Its data is kept.
      </ConfirmOnDemand>
      <ConfirmOnDemand
        open={confirming === 'stop'}
        onClose={() => setConfirming(null)}
        title="Stop your agent?"
        confirmLabel="Stop agent"
        pendingLabel="Stopping…"
        pending={stop.pending}
        onConfirm={() =>
          change(stop, 'Stopping your agent. Its data is kept; start it again whenever you like.')
        }
      >
        Your agent stops until you start it again; open sessions with it are cut. Its data is kept.
      </ConfirmOnDemand>
    </>
  );
}
