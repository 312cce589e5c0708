import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { formatBytes } from '~/components/format';
import { Plus, Server } from '~/components/icons';
import { RefreshEvery } from '~/components/refresh-every';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { chosenWindows } from './history-windows';
import { AddHostButton, HostControls } from './host-actions';
import { HostEvacuation } from './host-evacuation';
import { type History, HostHistory } from './host-history';

export const metadata: Metadata = { title: 'Hosts' };

/** One reading as a bar; `reading` says it in words ("8 % busy", "1.2 GB of 4 GB"). */
function Meter({
  label,
  used,
  total,
  reading,
}: {
  label: string;
  used: number;
  total: number;
  reading: string;
}) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return (
    <div className="text-xs">
      <div className="flex justify-between gap-3 text-muted">
        <span>{label}</span>
        <span>{reading}</span>
      </div>
      {/* The numbers above say it in words; the bar is decoration. */}
      <div className="mt-1 h-2 rounded-full bg-border" aria-hidden="true">
        <div
          className={`h-2 rounded-full ${pct > 85 ? 'bg-danger' : pct > 65 ? 'bg-warn' : 'bg-ok'}`}
          style={{ width: `${pct}%` }}
        />
      </div>
    </div>
  );
}

export default async function HostsPage({
  searchParams,
}: {
  searchParams: Promise<{ hours?: string | string[] }>;
}) {
  const chosen = chosenWindows((await searchParams).hours);
  const api = await serverCaller();
  const status = await api.system.status();
  // Each host's charts in the window its card shows, and its latest evacuation, on every render. A
  // chart that cannot be read says so on its card rather than taking the page down.
  const cards = await Promise.all(
    status.hosts.map(async (h) => {
      const hours = chosen.get(h.id) ?? 1;
      const [history, evacuation] = await Promise.all([
        api.admin.hosts.history({ id: h.id, hours }).catch((e: unknown): History | { error: string } => ({
          error: e instanceof TRPCError ? e.message : 'Something went wrong on our side.',
        })),
        api.admin.hosts.evacuation({ id: h.id }),
      ]);
      return { host: h, hours, history, evacuation: evacuation.evacuation };
    }),
  );
  // Stats and charts change with the worker's 15 s poll; an evacuation moves faster, so while one
  // runs its progress is re-read every 2 s.
  const evacuating = cards.some((c) => c.evacuation?.status === 'running');
  return (
    <>
      <RefreshEvery ms={evacuating ? 2_000 : 15_000} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Hosts</h1>
        <AddHostButton>
          <Plus aria-hidden="true" className="size-4" />
          Add host
        </AddHostButton>
      </div>
      {status.hosts.length === 0 ? (
        <Card>
          <EmptyState icon={Server}>
            No hosts yet. The worker registers the local host when it first starts.
          </EmptyState>
        </Card>
      ) : (
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          {cards.map(({ host: h, hours, history, evacuation }) => (
            <Card key={h.id} title={h.name} actions={<StatusBadge status={h.status} />}>
              <p className="mb-3 text-sm text-muted">
                {h.transport} · {h.agents} of {h.capacity} agents · seen{' '}
                {h.lastSeenAt ? <TimeAgo date={h.lastSeenAt} /> : 'never'}
              </p>
              <section aria-label={`${h.name} now`}>
                <h3 className="mb-2 text-sm font-medium">Now</h3>
                {h.lastError ? (
                  // The stats below, if any, are from before this: say so rather than show them as current.
                  <p className="mb-2 text-sm text-danger" data-testid="host-poll-error">
                    The latest poll failed
                    {h.lastStats && h.lastSeenAt ? (
                      <>
                        ; the figures are from <TimeAgo date={h.lastSeenAt} />
                      </>
                    ) : null}
                    . <span className="break-words text-muted">{h.lastError}</span>
                  </p>
                ) : null}
                {h.lastStats ? (
                  <div className="flex flex-col gap-3">
                    <Meter
                      label="CPU"
                      used={h.lastStats.cpuPercent}
                      total={100}
                      // The host's whole CPU, all cores together.
                      reading={`${h.lastStats.cpuPercent.toFixed(0)} % busy`}
                    />
                    <Meter
                      label="Memory"
                      used={h.lastStats.memoryUsedBytes}
                      total={h.lastStats.memoryTotalBytes}
                      reading={`${formatBytes(h.lastStats.memoryUsedBytes)} of ${formatBytes(h.lastStats.memoryTotalBytes)}`}
                    />
                    <Meter
                      label="Disk"
                      used={h.lastStats.diskUsedBytes}
                      total={h.lastStats.diskTotalBytes}
                      reading={`${formatBytes(h.lastStats.diskUsedBytes)} of ${formatBytes(h.lastStats.diskTotalBytes)}`}
                    />
                    <Meter
                      label="Agents"
                      used={h.agents}
                      total={h.capacity}
                      reading={`${h.agents} of ${h.capacity}`}
                    />
                  </div>
                ) : h.lastError ? null : (
                  <p className="text-sm text-muted">
                    Waiting for the first poll; the worker polls every 15 s.
                  </p>
                )}
              </section>
              <HostHistory id={h.id} name={h.name} hours={hours} history={history} />
              <HostEvacuation
                id={h.id}
                name={h.name}
                status={h.status}
                agents={h.agents}
                evacuation={evacuation}
              />
              <HostControls id={h.id} name={h.name} status={h.status} agents={h.agents} />
            </Card>
          ))}
        </div>
      )}
    </>
  );
}
