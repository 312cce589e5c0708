'use client';

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { SearchX } from 'lucide-react';
import { useState } from 'react';
import { dayBoundary } from '~/components/format';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { DateTime, useViewerTimeZone } from '~/components/ui/time';
import { useDebounced } from '~/components/use-debounced';
import { useTRPC } from '~/trpc/react';

const actorKinds = ['', 'person', 'token', 'system'] as const;

function describeChange(before: unknown, after: unknown): string {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  if (b.status && a.status && b.status !== a.status) return `${String(b.status)} → ${String(a.status)}`;
  return '';
}

export function ActivityLog() {
  const trpc = useTRPC();
  const [typedAction, setTypedAction] = useState('');
  // Ask once typing pauses, not on every keystroke.
  const action = useDebounced(typedAction.trim(), 300);
  const [actorKind, setActorKind] = useState<(typeof actorKinds)[number]>('');
  const [targetKind, setTargetKind] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const timeZone = useViewerTimeZone();
  const filter = {
    action: action || undefined,
    actorKind: actorKind || undefined,
    targetKind: targetKind || undefined,
    // Dates are whole days in the zone the times are shown in: from its first to its last millisecond.
    from: from ? dayBoundary(from, 'start', timeZone) : undefined,
    to: to ? dayBoundary(to, 'end', timeZone) : undefined,
  };
  const log = useInfiniteQuery(
    trpc.admin.activity.list.infiniteQueryOptions(
      { ...filter, limit: 50 },
      {
        getNextPageParam: (last) => last.nextCursor ?? undefined,
        // A new filter keeps the current rows up until its own arrive, instead of flashing "Loading…".
        placeholderData: keepPreviousData,
      },
    ),
  );
  // The export is a plain download of the streamed CSV route (the session cookie is the credential), so
  // the browser writes it to disk as it arrives, whatever its size.
  const exportParams = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined)
      exportParams.set(key, value instanceof Date ? value.toISOString() : String(value));
  }

  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      actions={
        <a
          href={`/api/activity/export?${exportParams}`}
          download
          className="inline-flex items-center justify-center gap-2 rounded-md border border-border bg-surface px-4 py-2 text-sm font-medium text-text transition hover:bg-bg"
        >
          Export CSV
        </a>
      }
      title="Events"
    >
      <div className="mb-4 flex flex-wrap gap-3 text-sm">
        <label className="flex items-center gap-2">
          Action
          <input
            className="rounded-md border border-border bg-surface px-2 py-1"
            placeholder="person.approved"
            value={typedAction}
            onChange={(e) => setTypedAction(e.target.value)}
          />
        </label>
        <label className="flex items-center gap-2">
          Actor
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={actorKind}
            onChange={(e) => setActorKind(e.target.value as (typeof actorKinds)[number])}
          >
            {actorKinds.map((k) => (
              <option key={k} value={k}>
                {k || 'anyone'}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          Target
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={targetKind}
            onChange={(e) => setTargetKind(e.target.value)}
          >
            {['', 'person', 'agent', 'token', 'host', 'run'].map((k) => (
              <option key={k} value={k}>
                {k || 'anything'}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          From
          <input
            type="date"
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="flex items-center gap-2">
          To
          <input
            type="date"
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
      </div>
      {log.isPending ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : log.error && rows.length === 0 ? (
        <p role="alert" className="text-sm text-danger">
          {log.error.message}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState icon={SearchX}>No events match.</EmptyState>
      ) : (
        <ScrollArea label="Activity events">
          {/* Dimmed while these are the previous filter's rows and the new ones load. */}
          <table
            aria-busy={log.isPlaceholderData}
            className={`stack-table w-full text-left text-sm ${log.isPlaceholderData ? 'opacity-60' : ''}`}
          >
            <thead className="text-muted">
              <tr>
                <th className="py-2 pr-3">
                  When
                  {timeZone ? <span className="font-normal"> ({timeZone.replaceAll('_', ' ')})</span> : null}
                </th>
                <th className="py-2 pr-3">Actor</th>
                <th className="py-2 pr-3">Action</th>
                <th className="py-2 pr-3">Target</th>
                <th className="py-2">Change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} className="border-t border-border" data-action={e.action}>
                  <td data-label="When" className="py-2 pr-3 whitespace-nowrap">
                    <DateTime date={e.at} />
                  </td>
                  <td data-label="Actor" className="py-2 pr-3">
                    {e.actorLabel ?? e.actorKind}
                  </td>
                  <td data-label="Action" className="py-2 pr-3 font-mono">
                    {e.action}
                  </td>
                  <td data-label="Target" className="py-2 pr-3">
                    {e.targetLabel ?? e.targetId ?? '—'}
                  </td>
                  <td data-label="Change" className="py-2">
                    {describeChange(e.before, e.after)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
      {/* A failed "Load more" or refresh keeps the rows already shown, and says why nothing was added. */}
      {log.error && rows.length > 0 ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {log.error.message}
        </p>
      ) : null}
      {log.hasNextPage ? (
        <Button
          variant="secondary"
          className="mt-4"
          onClick={() => log.fetchNextPage()}
          disabled={log.isFetchingNextPage}
        >
          Load more
        </Button>
      ) : null}
    </Card>
  );
}
