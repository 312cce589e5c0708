'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { setPersonPlan } from './actions';

/**
 * The person's plan (docs/ARCHITECTURE.md, "Plans and quotas"): a running agent takes the new plan's
 * limits at once, through a provision run; a public URL the plan forbids is turned off. `plans`: the
 * ones to offer (the page leaves out archived ones but the person's own, which comes `archived`).
 */
export function PersonPlanForm({
  personId,
  planId,
  plans,
}: {
  personId: string;
  planId: string | null;
  plans: { id: string; name: string; archived: boolean }[];
}) {
  const toast = useToast();
  const [chosen, setChosen] = useState(planId ?? '');
  const set = useAction(setPersonPlan);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await set.run({ id: personId, planId: chosen });
    if (answer.ok) toast(`Plan set to ${plans.find((p) => p.id === chosen)?.name ?? chosen}.`);
    else toast(answer.error, 'error');
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2">
      <label htmlFor="person-plan" className="sr-only">
        Plan
      </label>
      <select
        id="person-plan"
        className="rounded-md border border-border bg-surface px-2 py-1 text-sm"
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
      >
        {plans.map((p) => (
          <option key={p.id} value={p.id} disabled={p.archived}>
            {p.name}
            {p.archived ? ' (archived)' : ''}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" disabled={set.pending || !chosen || chosen === planId}>
        {set.pending ? 'Saving…' : 'Set plan'}
      </Button>
    </form>
  );
}
