'use client';

import type { RouterOutputs } from '@pocket-smyth/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Inbox, UserCheck } from 'lucide-react';
import { useState } from 'react';
import { type BulkOutcomeNote, outcomeText, outcomeTone } from '~/components/bulk-outcome';
import { OutcomeNote } from '~/components/bulk-outcome-note';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { Field } from '~/components/ui/field';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { useTRPC } from '~/trpc/react';

type BulkResult = RouterOutputs['admin']['users']['approve']['results'][number];

/** Pending people, oldest first; select many and approve, or reject with a reason. */
export function ApprovalQueue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<BulkOutcomeNote | null>(null);
  const pending = useQuery({
    ...trpc.admin.users.list.queryOptions({ status: 'pending', order: 'oldest', limit: 100 }),
    refetchInterval: 10_000,
  });

  function done(verb: 'Approved' | 'Rejected', results: BulkResult[]) {
    const shown = new Map((pending.data?.items ?? []).map((p) => [p.id, p.username ?? p.email]));
    setOutcome({
      text: outcomeText(verb, results, (id) => shown.get(id) ?? 'someone'),
      tone: outcomeTone(results),
    });
    setSelected(new Set());
    setReason('');
    void queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  }
  const approve = useMutation(
    trpc.admin.users.approve.mutationOptions({ onSuccess: (r) => done('Approved', r.results) }),
  );
  const reject = useMutation(
    trpc.admin.users.reject.mutationOptions({ onSuccess: (r) => done('Rejected', r.results) }),
  );

  // Clear the last action's error and outcome, so what shows is always about the latest action.
  function startAction() {
    approve.reset();
    reject.reset();
    setOutcome(null);
  }

  const items = pending.data?.items ?? [];
  // Only people still in the list: the poll drops those another admin approved or rejected meanwhile,
  // and they must not be counted in the buttons or sent again.
  const ids = items.filter((i) => selected.has(i.id)).map((i) => i.id);
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Card
      title={`Waiting (${pending.data?.counts.pending ?? '…'})`}
      actions={
        <div className="flex gap-2">
          <Button
            disabled={!ids.length || approve.isPending}
            onClick={() => {
              startAction();
              approve.mutate({ ids });
            }}
          >
            <UserCheck aria-hidden="true" className="size-4" />
            Approve {ids.length ? `(${ids.length})` : ''}
          </Button>
        </div>
      }
    >
      <OutcomeNote outcome={outcome} />
      {pending.isLoading ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : pending.error ? (
        <p role="alert" className="text-sm text-danger">
          {pending.error.message}
        </p>
      ) : items.length === 0 ? (
        <EmptyState icon={Inbox}>Nobody is waiting. New sign-ups appear here.</EmptyState>
      ) : (
        <ScrollArea label="Pending people">
          <table className="stack-table w-full text-left text-sm">
            <thead className="text-muted">
              <tr>
                <th className="w-8 py-2 pr-3">
                  <input
                    type="checkbox"
                    aria-label="Select all"
                    checked={ids.length === items.length}
                    onChange={(e) =>
                      setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())
                    }
                  />
                </th>
                <th className="py-2 pr-3">Username</th>
                <th className="py-2 pr-3">Email</th>
                <th className="py-2">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} className="border-t border-border">
                  <td data-label="Select" className="py-2 pr-3">
                    <input
                      type="checkbox"
                      aria-label={`Select ${p.username ?? p.email}`}
                      checked={selected.has(p.id)}
                      onChange={() => toggle(p.id)}
                    />
                  </td>
                  <td data-label="Username" className="py-2 pr-3">
                    <span className="font-mono">{p.username}</span>
                  </td>
                  <td data-label="Email" className="py-2 pr-3 break-all">
                    {p.email}
                  </td>
                  <td data-label="Waiting" className="whitespace-nowrap py-2">
                    {p.requestedAt ? <TimeAgo date={p.requestedAt} /> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
      <form
        className="mt-6 flex flex-col gap-3 border-t border-border pt-4 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          startAction();
          reject.mutate({ ids, reason });
        }}
      >
        <div className="flex-1">
          <Field
            id="reject-reason"
            label="Reason for rejecting the selected people"
            hint="They see this reason."
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={1000}
          />
        </div>
        <Button type="submit" variant="danger" disabled={!ids.length || !reason.trim() || reject.isPending}>
          Reject {ids.length ? `(${ids.length})` : ''}
        </Button>
      </form>
      {approve.error || reject.error ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {(approve.error ?? reject.error)?.message}
        </p>
      ) : null}
    </Card>
  );
}
