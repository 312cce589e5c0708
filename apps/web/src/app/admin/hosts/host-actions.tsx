'use client';

import { useMutation } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { lazy, Suspense, useState } from 'react';
import { Button } from '~/components/ui/button';
import { ConfirmDialog } from '~/components/ui/dialog';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

const AddHostDialog = lazy(() => import('./add-host-dialog'));

/** "Add host", and the form it opens, fetched on the first click and kept mounted after. */
export function AddHostButton() {
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button
        onClick={() => {
          setOpened(true);
          setOpen(true);
        }}
      >
        <Plus aria-hidden="true" className="size-4" />
        Add host
      </Button>
      {opened ? (
        <Suspense fallback={null}>
          <AddHostDialog open={open} onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}

/**
 * Drain (no new agents are placed), put a drained host back into use, or remove it (only once empty).
 * Drain and remove ask first: one changes where agents land, the other forgets the host's key.
 */
/** What a host card's controls need to know of the host. */
export interface HostFacts {
  id: string;
  name: string;
  status: string;
  /** Agents placed on it. */
  agents: number;
}

export function HostControls({ id, name, status, agents }: HostFacts) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [confirming, setConfirming] = useState<'drain' | 'remove' | null>(null);
  const done = (message: string) => () => {
    toast(message);
    router.refresh();
  };
  const handlers = {
    onError: (e: { message: string }) => toast(e.message, 'error'),
    onSettled: () => setConfirming(null),
  };
  const drain = useMutation(
    trpc.admin.hosts.drain.mutationOptions({
      onSuccess: done(`${name} is draining: no new agents go there.`),
      ...handlers,
    }),
  );
  const activate = useMutation(
    trpc.admin.hosts.activate.mutationOptions({
      onSuccess: done(`${name} is back in use: new agents may go there.`),
      ...handlers,
    }),
  );
  const remove = useMutation(
    trpc.admin.hosts.remove.mutationOptions({ onSuccess: done(`Removed ${name}.`), ...handlers }),
  );
  return (
    <div className="mt-4 flex flex-wrap gap-2">
      {status === 'active' ? (
        <Button variant="secondary" className="px-3 py-1" onClick={() => setConfirming('drain')}>
          Drain
        </Button>
      ) : (
        <Button
          variant="secondary"
          className="px-3 py-1"
          onClick={() => activate.mutate({ id })}
          disabled={activate.isPending}
        >
          {activate.isPending ? 'Putting back…' : 'Put back in use'}
        </Button>
      )}
      <Button
        variant="danger"
        className="px-3 py-1"
        onClick={() => setConfirming('remove')}
        disabled={agents > 0}
        title={agents > 0 ? 'Move or remove its agents first' : undefined}
      >
        Remove
      </Button>
      <ConfirmDialog
        open={confirming === 'drain'}
        onClose={() => setConfirming(null)}
        title={`Drain ${name}?`}
        confirmLabel="Drain host"
        pendingLabel="Draining…"
        pending={drain.isPending}
        onConfirm={() => drain.mutate({ id })}
      >
        Its agents keep running; new agents go to other hosts. You can put it back in use later.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === 'remove'}
        onClose={() => setConfirming(null)}
        title={`Remove ${name}?`}
        confirmLabel="Remove host"
        pendingLabel="Removing…"
        pending={remove.isPending}
        onConfirm={() => remove.mutate({ id })}
        tone="danger"
      >
        The portal forgets the host, its pinned fingerprint and its stored key. Nothing on the machine is
        touched. To use it again, add it anew.
      </ConfirmDialog>
    </div>
  );
}
