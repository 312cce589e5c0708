'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SearchX } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { type BulkOutcomeNote, outcomeText, outcomeTone } from '~/components/bulk-outcome';
import { OutcomeNote } from '~/components/bulk-outcome-note';
import { Badge, StatusBadge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { useDebounced } from '~/components/use-debounced';
import { useTRPC } from '~/trpc/react';
import { type PersonStatusFilter, peopleQueryInput, personStatuses } from './people-query';

/**
 * Filter by status, role and plan, search email/username/name, page through with a stable order; select
 * people and put them on a plan (a result per person, like approvals).
 */
export function PeopleTable({
  initialStatus,
  initialPlanId,
}: {
  initialStatus: PersonStatusFilter;
  initialPlanId: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<PersonStatusFilter>(initialStatus);
  const [role, setRole] = useState<'' | 'user' | 'admin'>('');
  const [planId, setPlanId] = useState(initialPlanId);
  const [typed, setTyped] = useState('');
  const search = useDebounced(typed.trim(), 250);
  const people = useInfiniteQuery(
    trpc.admin.users.list.infiniteQueryOptions(peopleQueryInput({ status, role, search, planId }), {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  );
  const plans = useQuery(trpc.admin.plans.list.queryOptions());
  const assignable = (plans.data ?? []).filter((p) => !p.archivedAt);
  const rows = people.data?.pages.flatMap((p) => p.items) ?? [];
  const counts = people.data?.pages[0]?.counts;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState('');
  const [outcome, setOutcome] = useState<BulkOutcomeNote | null>(null);
  const ids = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
  const assign = useMutation(
    trpc.admin.plans.assign.mutationOptions({
      onSuccess: ({ results }) => {
        const shown = new Map(rows.map((r) => [r.id, r.username ?? r.email]));
        const planName = assignable.find((p) => p.id === target)?.name ?? 'the plan';
        setOutcome({
          text: outcomeText(`Put on ${planName}:`, results, (id) => shown.get(id) ?? 'someone'),
          tone: outcomeTone(results),
        });
        setSelected(new Set());
        // The list is an infinite query: its path key covers every page and filter.
        void queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.pathKey() });
        void queryClient.invalidateQueries(trpc.admin.plans.list.queryFilter());
      },
    }),
  );
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Card>
      <div className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        {/* Wide enough for the whole placeholder; a line of its own on a phone. */}
        <label className="flex w-full flex-col gap-1 sm:w-auto sm:min-w-64 sm:max-w-md sm:flex-1">
          Search
          <input
            type="search"
            className="rounded-md border border-border bg-surface px-2 py-1"
            placeholder="email, username or name"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Status
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={status}
            onChange={(e) => setStatus(e.target.value as PersonStatusFilter)}
          >
            <option value="">all ({counts?.total ?? '…'})</option>
            {personStatuses.map((s) => (
              <option key={s} value={s}>
                {s} ({counts?.[s] ?? '…'})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Role
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={role}
            onChange={(e) => setRole(e.target.value as '' | 'user' | 'admin')}
          >
            <option value="">any</option>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Plan
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={planId}
            onChange={(e) => setPlanId(e.target.value)}
          >
            <option value="">any</option>
            {(plans.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.people})
              </option>
            ))}
          </select>
        </label>
      </div>
      <form
        className="mb-4 flex flex-wrap items-end gap-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          setOutcome(null);
          assign.mutate({ planId: target, ids });
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
            {assignable.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="secondary" disabled={!ids.length || !target || assign.isPending}>
          {assign.isPending ? 'Saving…' : `Set plan${ids.length ? ` (${ids.length})` : ''}`}
        </Button>
        {assign.error ? (
          <p role="alert" className="text-sm text-danger">
            {assign.error.message}
          </p>
        ) : null}
      </form>
      <OutcomeNote outcome={outcome} />
      {people.isLoading ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : people.error ? (
        <p role="alert" className="text-sm text-danger">
          {people.error.message}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState icon={SearchX}>Nobody matches.</EmptyState>
      ) : (
        <ScrollArea label="People">
          <table className="stack-table w-full text-left text-sm">
            <thead className="text-muted">
              <tr>
                <th className="w-8 py-2 pr-3">
                  <input
                    type="checkbox"
                    aria-label="Select all shown"
                    checked={rows.length > 0 && ids.length === rows.length}
                    onChange={(e) =>
                      setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())
                    }
                  />
                </th>
                <th className="py-2 pr-3 font-medium">Person</th>
                <th className="py-2 pr-3 font-medium">Status</th>
                <th className="py-2 pr-3 font-medium">Agent</th>
                <th className="py-2 pr-3 font-medium">Plan</th>
                <th className="py-2 font-medium">Joined</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id} className="border-t border-border">
                  <td data-label="Select" className="py-2 pr-3">
                    <input
                      type="checkbox"
                      aria-label={`Select ${p.username ?? p.email}`}
                      checked={selected.has(p.id)}
                      onChange={() => toggle(p.id)}
                    />
                  </td>
                  <td data-label="Person" className="py-2 pr-3">
                    <Link href={`/admin/people/${p.id}`} className="font-medium text-accent hover:underline">
                      {p.username ?? p.email}
                    </Link>
                    <div className="text-xs text-muted">
                      {p.email} {p.role === 'admin' ? <Badge tone="accent">admin</Badge> : null}
                    </div>
                  </td>
                  <td data-label="Status" className="py-2 pr-3">
                    <StatusBadge status={p.status} />
                  </td>
                  <td data-label="Agent" className="py-2 pr-3">
                    {p.agentObservedState ? <StatusBadge status={p.agentObservedState} /> : '—'}
                  </td>
                  <td data-label="Plan" className="py-2 pr-3">
                    {p.planName ?? '—'}
                  </td>
                  <td data-label="Joined" className="py-2">
                    <TimeAgo date={p.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
      {people.hasNextPage ? (
        <Button
          variant="secondary"
          className="mt-4"
          onClick={() => people.fetchNextPage()}
          disabled={people.isFetchingNextPage}
        >
          Load more
        </Button>
      ) : null}
    </Card>
  );
}
