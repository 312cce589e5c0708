'use client';

import { type ComponentType, lazy, type ReactNode, Suspense, useState } from 'react';
import { Button } from '~/components/ui/button';
import { useAction } from '~/components/use-action';
import { activateHost } from './actions';
import { type DialogProps, useToastAnswer } from './host-answers';

// The hosts page's islands: the page is rendered on the server (page.tsx); these are its buttons. The
// dialogs they open are fetched on the first click (add-host-dialog.tsx, host-dialogs.tsx), and each
// change is a server action whose answer re-renders the page.

/** What a host's dialog is given: the host, and whether it is open. */

const AddHostDialog = lazy(() => import('./add-host-dialog'));
const DrainDialog = lazy(() => import('./host-dialogs').then((m) => ({ default: m.DrainDialog })));
const RemoveDialog = lazy(() => import('./host-dialogs').then((m) => ({ default: m.RemoveDialog })));
const EvacuateDialog = lazy(() => import('./host-dialogs').then((m) => ({ default: m.EvacuateDialog })));

/**
 * A button and the lazily loaded dialog it opens: fetched on the first click and kept mounted after,
 * so the native dialog closes (and hands focus back) as usual.
 */
function Opens({
  dialog: D,
  id = '',
  name = '',
  children,
  ...button
}: {
  dialog: ComponentType<DialogProps>;
  id?: string;
  name?: string;
  children: ReactNode;
} & Omit<Parameters<typeof Button>[0], 'id' | 'name'>) {
  const [open, setOpen] = useState<boolean | null>(null);
  return (
    <>
      <Button {...button} onClick={() => setOpen(true)}>
        {children}
      </Button>
      {open === null ? null : (
        <Suspense fallback={null}>
          <D id={id} name={name} open={open} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}

/** "Add host" (its icon is drawn by the server, as `children`). */
export function AddHostButton({ children }: { children: ReactNode }) {
  return <Opens dialog={AddHostDialog}>{children}</Opens>;
}

/** What a host card's controls need to know of the host. */
export interface HostFacts {
  id: string;
  name: string;
  status: string;
  /** Agents placed on it. */
  agents: number;
}

/**
 * Drain (no new agents are placed), put a drained host back into use, or remove it (only once empty).
 * Drain and remove ask first: one changes where agents land, the other forgets the host's key.
 */
export function HostControls({ id, name, status, agents }: HostFacts) {
  const say = useToastAnswer();
  const activate = useAction(activateHost);
  return (
    <div className="mt-4 flex flex-wrap gap-2">
      {status === 'active' ? (
        <Opens dialog={DrainDialog} id={id} name={name} variant="secondary" className="px-3 py-1">
          Drain
        </Opens>
      ) : (
        <Button
          variant="secondary"
          className="px-3 py-1"
          onClick={async () =>
            say(await activate.run({ id }), `${name} is back in use: new agents may go there.`)
          }
          disabled={activate.pending}
        >
          {activate.pending ? 'Putting back…' : 'Put back in use'}
        </Button>
      )}
      <Opens
        dialog={RemoveDialog}
        id={id}
        name={name}
        variant="danger"
        className="px-3 py-1"
        disabled={agents > 0}
        title={agents > 0 ? 'Move or remove its agents first' : undefined}
      >
        Remove
      </Opens>
    </div>
  );
}

/** "Evacuate" on a draining host with agents; the progress is the page's own (host-evacuation.tsx). */
export function EvacuateButton({ id, name }: { id: string; name: string }) {
  return (
    <Opens dialog={EvacuateDialog} id={id} name={name} variant="secondary" className="mt-2 px-3 py-1">
      Evacuate
    </Opens>
  );
}
