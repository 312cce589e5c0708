'use client';

import { useState } from 'react';
import { BulkErrorLine, useBulkSelection } from '~/components/bulk-selection';
import { Button } from '~/components/ui/button';
import { useAction } from '~/components/use-action';
import { assignPlan } from './actions';

/** Puts the selected people on a plan (a result per person, like approvals). */
export function SetPlanForm({ plans }: { plans: { id: string; name: string }[] }) {
  const selection = useBulkSelection();
  const assign = useAction(assignPlan);
  const [target, setTarget] = useState('');
  const { ids } = selection;
  return (
    <form
      className="mb-4 flex flex-wrap items-end gap-3 text-sm"
      onSubmit={async (e) => {
        e.preventDefault();
        selection.start();
        const planName = plans.find((p) => p.id === target)?.name ?? 'the plan';
        selection.finish(`Put on ${planName}:`, await assign.run({ planId: target, ids }));
      }}
    >
      <label className="flex flex-col gap-1">
        Put the selected people on
        <select
          className="rounded-md border border-border bg-surface px-2 py-1"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        >
          <option value="">choose a plan</option>
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" variant="secondary" disabled={!ids.length || !target || assign.pending}>
        {assign.pending ? 'Saving…' : `Set plan${ids.length ? ` (${ids.length})` : ''}`}
      </Button>
      <BulkErrorLine />
    </form>
  );
}
