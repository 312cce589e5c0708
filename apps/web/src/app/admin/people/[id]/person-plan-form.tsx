'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

/**
 * The person's plan (docs/ARCHITECTURE.md, "Plans and quotas"): a running agent takes the new plan's
 * limits at once, through a provision run; a public URL the plan forbids is turned off.
 */
export function PersonPlanForm({ personId, planId }: { personId: string; planId: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const plans = useQuery(trpc.admin.plans.list.queryOptions());
  const [chosen, setChosen] = useState(planId ?? '');
  const set = useMutation(
    trpc.admin.plans.setForPerson.mutationOptions({
      onSuccess: () => {
        toast(`Plan set to ${plans.data?.find((p) => p.id === chosen)?.name ?? chosen}.`);
        void queryClient.invalidateQueries();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    set.mutate({ id: personId, planId: chosen });
  };
  // The current plan stays listed even when archived, so the select shows what the person is on.
  const options = (plans.data ?? []).filter((p) => !p.archivedAt || p.id === planId);
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
        {options.map((p) => (
          <option key={p.id} value={p.id} disabled={Boolean(p.archivedAt)}>
            {p.name}
            {p.archivedAt ? ' (archived)' : ''}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" disabled={set.isPending || !chosen || chosen === planId}>
        {set.isPending ? 'Saving…' : 'Set plan'}
      </Button>
    </form>
  );
}
