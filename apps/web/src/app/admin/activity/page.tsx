import type { Metadata } from 'next';
import { dayBoundary } from '~/components/format';
import { SearchX } from '~/components/icons';
import { LoadMore, pageCount, readPages } from '~/components/load-more';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { DateTime } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { getViewer } from '~/server/viewer';
import { ActivityFilters } from './activity-filters';
import { actorKinds, targetKinds } from './activity-kinds';

export const metadata: Metadata = { title: 'Activity' };

type Params = {
  action?: string;
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
  tz?: string;
  pages?: string;
};

function describeChange(before: unknown, after: unknown): string {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  if (b.status && a.status && b.status !== a.status) return `${String(b.status)} → ${String(a.status)}`;
  return '';
}

/** One of `allowed` from the address bar, or no filter. */
function oneOf<T extends string>(allowed: readonly T[], value: string | undefined): T | '' {
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : '';
}

/** A YYYY-MM-DD day from the address bar, or none. */
function dayOrNone(value: string | undefined): string {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : '';
}

/** A time zone the runtime knows, or none. */
function zoneOrNone(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    return undefined;
  }
}

/** The activity log, newest first, filtered by the address's search params and rendered on the server. */
export default async function AdminActivityPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const action = (params.action ?? '').trim().slice(0, 64);
  const actor = oneOf(actorKinds, params.actor);
  const target = oneOf(targetKinds, params.target);
  const from = dayOrNone(params.from);
  const to = dayOrNone(params.to);
  const pages = pageCount(params.pages);
  const chosenZone = (await getViewer())?.preferences.timeZone;
  // Whole days in the zone the times are shown in: the viewer's choice, else the browser's (`?tz=`).
  const dayZone = chosenZone ?? zoneOrNone(params.tz);
  const filter = {
    action: action || undefined,
    actorKind: actor || undefined,
    targetKind: target || undefined,
    from: from ? dayBoundary(from, 'start', dayZone) : undefined,
    to: to ? dayBoundary(to, 'end', dayZone) : undefined,
  };
  const api = await serverCaller();
  const log = await readPages(pages, (cursor) => api.admin.activity.list({ ...filter, limit: 50, cursor }));
  const rows = log.items;
  // The export is a plain download of the streamed CSV route (the session cookie is the credential), so
  // the browser writes it to disk as it arrives, whatever its size.
  const exportParams = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined) exportParams.set(key, value instanceof Date ? value.toISOString() : value);
  }
  return (
    <>
      <h1 className="text-2xl font-semibold">Activity log</h1>
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
        <ActivityFilters initial={{ action, actor, target, from, to }}>
          {rows.length === 0 ? (
            <EmptyState icon={SearchX}>No events match.</EmptyState>
          ) : (
            <ScrollArea label="Activity events">
              <table className="stack-table w-full text-left text-sm">
                <thead className="text-muted">
                  <tr>
                    <th className="py-2 pr-3">
                      When
                      {chosenZone ? (
                        <span className="font-normal"> ({chosenZone.replaceAll('_', ' ')})</span>
                      ) : null}
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
          {log.more ? (
            <LoadMore params={{ action, actor, target, from, to, tz: zoneOrNone(params.tz) }} pages={pages} />
          ) : null}
        </ActivityFilters>
      </Card>
    </>
  );
}
