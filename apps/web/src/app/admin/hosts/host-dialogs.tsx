'use client';

import { useId, useState } from 'react';
import { Button } from '~/components/ui/button';
import { ConfirmDialog, Dialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { useAction } from '~/components/use-action';
import { drainHost, evacuateHost, removeHost } from './actions';
import { type DialogProps, useToastAnswer } from './host-answers';

// The dialogs behind the host cards' buttons, fetched on the first click of one (host-actions.tsx), so
// their code and words are not in the page's first load (`pnpm bench pages`).

export function DrainDialog({ id, name, open, onClose }: DialogProps) {
  const say = useToastAnswer();
  const drain = useAction(drainHost);
  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      title={`Drain ${name}?`}
      confirmLabel="Drain host"
      pendingLabel="Draining…"
      pending={drain.pending}
      onConfirm={async () => {
        say(await drain.run({ id }), `${name} is draining: no new agents go there.`);
        onClose();
      }}
    >
      Its agents keep running; new agents go to other hosts. You can put it back in use later.
    </ConfirmDialog>
  );
}

export function RemoveDialog({ id, name, open, onClose }: DialogProps) {
  const say = useToastAnswer();
  const remove = useAction(removeHost);
  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      title={`Remove ${name}?`}
      confirmLabel="Remove host"
      pendingLabel="Removing…"
      pending={remove.pending}
      onConfirm={async () => {
        say(await remove.run({ id }), `Removed ${name}.`);
        onClose();
      }}
      tone="danger"
    >
      The portal forgets the host, its pinned fingerprint and its stored key. Nothing on the machine is
      touched. To use it again, add it anew.
    </ConfirmDialog>
  );
}

/** How many agents to move at once, then the evacuation starts; its progress is the page's own. */
export function EvacuateDialog({ id, name, open, onClose }: DialogProps) {
  const say = useToastAnswer();
  const batchId = useId();
  const [batch, setBatch] = useState('5');
  const evacuate = useAction(evacuateHost);
  const batchSize = Number(batch);
  const batchValid = Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 50;
  return (
    <Dialog open={open} onClose={onClose} title={`Evacuate ${name}?`}>
      <p className="mb-4 text-sm text-muted">
        Every agent on {name} moves, with its data, to the active host with the most room. Each is unreachable
        while it moves; an agent that cannot be moved stays here, running.
      </p>
      <Field
        id={batchId}
        label="Agents moved at once"
        type="number"
        min={1}
        max={50}
        value={batch}
        onChange={(e) => setBatch(e.target.value)}
        error={batchValid ? undefined : 'Between 1 and 50'}
      />
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button
          onClick={async () => {
            const answer = await evacuate.run({ id, batchSize });
            const started = answer.ok
              ? `Evacuating ${name}: ${answer.data.total} agents, ${answer.data.batchSize} at a time.`
              : '';
            if (say(answer, started)) onClose();
          }}
          disabled={!batchValid || evacuate.pending}
        >
          {evacuate.pending ? 'Starting…' : 'Evacuate host'}
        </Button>
      </div>
    </Dialog>
  );
}
