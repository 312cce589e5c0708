'use client';

import type { RouterOutputs } from '@pocket-smyth/api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

type Host = RouterOutputs['admin']['hosts']['list'][number];

/**
 * "Move…" for one agent: choose an active host with room, and the agent moves there with its data as a
 * run with steps (stopped here, copied, started there, removed here), shown in its owner's timeline.
 */
export function MoveAgentButton({
  agentId,
  username,
  hostId,
  hosts,
}: {
  agentId: string;
  username: string;
  hostId: string;
  hosts: readonly Host[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const selectId = useId();
  const [open, setOpen] = useState(false);
  const targets = hosts.filter((h) => h.id !== hostId && h.status === 'active' && h.freeCapacity > 0);
  const [target, setTarget] = useState('');
  const chosen = target || targets[0]?.id || '';
  const move = useMutation(
    trpc.admin.agents.move.mutationOptions({
      onSuccess: () => {
        const name = hosts.find((h) => h.id === chosen)?.name ?? 'the other host';
        toast(`Moving ${username} to ${name}; the run shows each step.`);
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.agents.list.queryKey() });
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  return (
    <>
      <Button variant="secondary" className="mt-1 px-2 py-0.5 text-xs" onClick={() => setOpen(true)}>
        Move…
        <span className="sr-only"> {username}</span>
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Move ${username}`}>
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
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            onClick={() => move.mutate({ id: agentId, hostId: chosen })}
            disabled={!chosen || move.isPending}
          >
            {move.isPending ? 'Moving…' : 'Move agent'}
          </Button>
        </div>
      </Dialog>
    </>
  );
}
