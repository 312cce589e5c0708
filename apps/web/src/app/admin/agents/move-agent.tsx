'use client';

import { useId, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { moveAgent } from './actions';

/** A host as the dialog offers it. */
export interface MoveTarget {
  id: string;
  name: string;
  status: string;
  freeCapacity: number;
}

/** The agent whose "Move…" was clicked, and the host it is on. */
export interface Moving {
  agentId: string;
  username: string;
  hostId: string;
}

/**
 * "Move…" for one agent: choose an active host with room, and the agent moves there with its data as a
 * run with steps (stopped here, copied, started there, removed here), shown in its owner's timeline.
 * Loaded on the first click (a default export, for React.lazy), so it is not in the page's first load.
 */
export default function MoveAgentDialog({
  moving,
  hosts,
  onClose,
}: {
  /** null: closed. */
  moving: Moving | null;
  hosts: readonly MoveTarget[];
  onClose: () => void;
}) {
  const toast = useToast();
  const selectId = useId();
  const targets = hosts.filter((h) => h.id !== moving?.hostId && h.status === 'active' && h.freeCapacity > 0);
  const [target, setTarget] = useState('');
  // A target chosen for another agent, or gone since, falls back to the first one offered.
  const chosen = targets.find((h) => h.id === target)?.id ?? targets[0]?.id ?? '';
  const move = useAction(moveAgent);
  const username = moving?.username ?? '';
  async function submit() {
    if (!moving) return;
    const answer = await move.run({ id: moving.agentId, hostId: chosen });
    if (!answer.ok) {
      toast(answer.error, 'error');
      return;
    }
    const name = hosts.find((h) => h.id === chosen)?.name ?? 'the other host';
    toast(`Moving ${moving.username} to ${name}; the run shows each step.`);
    onClose();
  }
  return (
    <Dialog open={moving !== null} onClose={onClose} title={`Move ${username}`}>
      {targets.length === 0 ? (
        <p className="text-sm text-muted">No other active host has room. Add a host or raise a capacity.</p>
      ) : (
        <div className="flex flex-col gap-1">
          <label htmlFor={selectId} className="text-sm font-medium">
            Target host
          </label>
          <select
            id={selectId}
            value={chosen}
            onChange={(e) => setTarget(e.target.value)}
            className="rounded-md border border-border bg-surface px-3 py-2 text-sm"
          >
            {targets.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name} ({h.freeCapacity} free)
              </option>
            ))}
          </select>
          <p className="mt-2 text-sm text-muted">
            The agent stops, its data is copied to the target, and it starts there; then it is removed here.
            It is unreachable while it moves.
          </p>
        </div>
      )}
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={submit} disabled={!chosen || move.pending}>
          {move.pending ? 'Moving…' : 'Move agent'}
        </Button>
      </div>
    </Dialog>
  );
}
