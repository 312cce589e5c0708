import type { Metadata } from 'next';
import Link from 'next/link';
import { type ReactNode, Suspense } from 'react';
import { formatBytes } from '~/components/format';
import { Server } from '~/components/icons';
import { RefreshEvery } from '~/components/refresh-every';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { AnalyticsSection } from './analytics-section';
import { FailingAgentsCard } from './failing-agents-card';

export const metadata: Metadata = { title: 'Admin overview' };

function Stat({
  label,
  value,
  href,
  testId,
}: {
  label: string;
  value: ReactNode;
  href?: string;
  testId?: string;
}) {
  const body = (
    <div className="h-full rounded-lg border border-border bg-surface p-4">
      <div className="text-sm text-muted">{label}</div>
      {/* Counts are large; a time in words ("16 seconds ago") is smaller so it fits a phone's column. */}
      <div
        className={`mt-1 font-semibold ${typeof value === 'number' || typeof value === 'string' ? 'text-2xl' : 'text-lg'}`}
        data-testid={testId}
      >
        {value}
      </div>
    </div>
  );
  return href ? (
    // Full height of its grid cell, like the stats that are not links, so a row's cards line up.
    <Link href={href} className="block h-full hover:opacity-90">
      {body}
    </Link>
  ) : (
    body
  );
}

export default async function AdminOverviewPage({
  searchParams,
}: {
  searchParams: Promise<{ trends?: string }>;
}) {
  const trendDays = (await searchParams).trends === '90' ? 90 : 30;
  const status = await (await serverCaller()).system.status();
  const { people } = status;
  return (
    <>
      <RefreshEvery ms={15_000} />
      <h1 className="text-2xl font-semibold">Overview</h1>
      <section aria-label="People" className="grid grid-cols-2 gap-4 sm:grid-cols-3">
        <Stat
          label="Waiting for approval"
          value={people.pending}
          href="/admin/approvals"
          testId="stat-pending"
        />
        <Stat
          label="Oldest request"
          value={status.oldestPendingSince ? <TimeAgo date={status.oldestPendingSince} /> : '—'}
          href="/admin/approvals"
        />
        <Stat label="Active people" value={people.active} href="/admin/people?status=active" />
        {/* Two stats, not one: the people page filters by a single status. */}
        <Stat label="Revoked" value={people.revoked} href="/admin/people?status=revoked" />
        <Stat label="Rejected" value={people.rejected} href="/admin/people?status=rejected" />
        <Stat label="Failed runs (24 h)" value={status.failedRunsLastDay} href="#needs-attention" />
      </section>
      <section aria-label="Agents" className="grid grid-cols-2 gap-4 sm:grid-cols-3">
        <Stat label="Agents running" value={status.agents.byObservedState.running ?? 0} />
        <Stat label="Agents not as wanted" value={status.agents.drifted} />
        <Stat
          label="Host capacity used"
          value={status.capacity.total ? `${status.capacity.used} / ${status.capacity.total}` : '—'}
          href="/admin/hosts"
        />
      </section>
      <FailingAgentsCard failing={status.failingAgents} />
      <Card title="Hosts">
        {status.hosts.length === 0 ? (
          <EmptyState icon={Server}>
            No hosts yet. The worker adds the local host when it first starts.
          </EmptyState>
        ) : (
          <ScrollArea label="Hosts">
            <table className="stack-table w-full text-left text-sm">
              <thead className="text-muted">
                <tr>
                  <th className="py-2 pr-3 font-medium">Host</th>
                  <th className="py-2 pr-3 font-medium">Agents</th>
                  <th className="py-2 pr-3 font-medium">CPU</th>
                  <th className="py-2 pr-3 font-medium">Memory</th>
                  <th className="py-2 font-medium">Seen</th>
                </tr>
              </thead>
              <tbody>
                {status.hosts.map((h) => (
                  <tr key={h.id} className="border-t border-border">
                    <td data-label="Host" className="py-2 pr-3">
                      {h.name} <span className="text-muted">({h.transport})</span>{' '}
                      <StatusBadge status={h.status} />
                    </td>
                    <td data-label="Agents" className="py-2 pr-3">
                      {h.agents} / {h.capacity}
                    </td>
                    <td data-label="CPU" className="py-2 pr-3">
                      {h.lastStats ? `${h.lastStats.cpuPercent.toFixed(0)} %` : '—'}
                    </td>
                    <td data-label="Memory" className="py-2 pr-3">
                      {h.lastStats
                        ? `${formatBytes(h.lastStats.memoryUsedBytes)} / ${formatBytes(h.lastStats.memoryTotalBytes)}`
                        : '—'}
                    </td>
                    <td data-label="Seen" className="py-2">
                      {h.lastSeenAt ? <TimeAgo date={h.lastSeenAt} /> : 'never'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </Card>
      {/* Streamed after the counts above: the trends read months of rollups and the activity log. */}
      <Suspense
        fallback={
          <p className="text-sm text-muted" aria-live="polite">
            Loading trends…
          </p>
        }
      >
        <AnalyticsSection days={trendDays} />
      </Suspense>
    </>
  );
}
