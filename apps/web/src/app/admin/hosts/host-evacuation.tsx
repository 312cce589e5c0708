'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';
import type { HostFacts } from './host-actions';

/**
 * A draining host's evacuation: "Evacuate" moves every agent on it elsewhere, a batch at a time, and
 * its progress shows live ("12 of 40 moved, 1 failed"), with each agent that could not be moved and why.
 */
export function HostEvacuation({ id, name, status, agents }: HostFacts) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const batchId = useId();
  const [open, setOpen] = useState(false);
  const [batch, setBatch] = useState('5');
  const query = useQuery({
    ...trpc.admin.hosts.evacuation.queryOptions({ id }),
    // Live while one runs: each move takes seconds to minutes.
    refetchInterval: (q) => (q.state.data?.evacuation?.status === 'running' ? 2_000 : false),
  });
  const evacuate = useMutation(
    trpc.admin.hosts.evacuate.mutationOptions({
      onSuccess: (data) => {
        toast(`Evacuating ${name}: ${data.total} agents, ${data.batchSize} at a time.`);
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.hosts.evacuation.queryKey({ id }) });
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const evacuation = query.data?.evacuation ?? null;
  const running = evacuation?.status === 'running';
  const batchSize = Number(batch);
  const batchValid = Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 50;
  return (
    <section aria-label={`${name} evacuation`} className="mt-4">
      {evacuation ? (
        <div className="text-sm" data-testid="host-evacuation">
          <div className="flex justify-between gap-3 text-muted">
            <span>{running ? 'Evacuating' : 'Last evacuation'}</span>
            <span>
              {evacuation.moved} of {evacuation.total} moved
              {evacuation.failed > 0 ? `, ${evacuation.failed} failed` : ''}
            </span>
          </div>
          <progress
            className="mt-1 h-2 w-full accent-accent"
            max={evacuation.total}
            value={evacuation.moved + evacuation.failed}
            aria-label={`${name} evacuation progress`}
          />
          {evacuation.failures.length > 0 ? (
            <ul className="mt-1 text-xs text-danger">
              {evacuation.failures.map((f) => (
                <li key={f.agentId}>
                  <span className="font-mono">{f.username}</span>: {f.message ?? 'not moved'}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {status === 'draining' && agents > 0 && !running ? (
        <Button variant="secondary" className="mt-2 px-3 py-1" onClick={() => setOpen(true)}>
          Evacuate
        </Button>
      ) : null}
      <Dialog open={open} onClose={() => setOpen(false)} title={`Evacuate ${name}?`}>
        <p className="mb-4 text-sm text-muted">
          Every agent on {name} moves, with its data, to the active host with the most room. Each is
          unreachable while it moves; an agent that cannot be moved stays here, running.
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
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            onClick={() => evacuate.mutate({ id, batchSize })}
            disabled={!batchValid || evacuate.isPending}
          >
            {evacuate.isPending ? 'Starting…' : 'Evacuate host'}
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
