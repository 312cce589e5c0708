import { Server } from 'lucide-react';
import type { Metadata } from 'next';
import { formatBytes } from '~/components/format';
import { RefreshEvery } from '~/components/refresh-every';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { AddHostButton, HostControls } from './host-actions';
import { HostEvacuation } from './host-evacuation';
import { HostHistory } from './host-history';

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

export default async function HostsPage() {
  const status = await (await serverCaller()).system.status();
  // Each host's last hour, as HostHistory first asks for it, so the charts are on the first paint.
  const queryClient = getServerQueryClient();
  await Promise.all([
    ...status.hosts.map((h) =>
      queryClient.prefetchQuery(trpcServer.admin.hosts.history.queryOptions({ id: h.id, hours: 1 })),
    ),
    // Each host's latest evacuation, so its progress is on the first paint too.
    ...status.hosts.map((h) =>
      queryClient.prefetchQuery(trpcServer.admin.hosts.evacuation.queryOptions({ id: h.id })),
    ),
  ]);
  return (
    <TRPCReactProvider>
      <HydrateClient>
        {/* The stats and "seen" line are read here; the charts below poll on their own, at the same pace. */}
        <RefreshEvery ms={15_000} />
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-semibold">Hosts</h1>
          <AddHostButton />
        </div>
        {status.hosts.length === 0 ? (
          <Card>
            <EmptyState icon={Server}>
              No hosts yet. The worker registers the local host when it first starts.
            </EmptyState>
          </Card>
        ) : (
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            {status.hosts.map((h) => (
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
                <HostHistory id={h.id} name={h.name} />
                <HostEvacuation id={h.id} name={h.name} status={h.status} agents={h.agents} />
                <HostControls id={h.id} name={h.name} status={h.status} agents={h.agents} />
              </Card>
            ))}
          </div>
        )}
      </HydrateClient>
    </TRPCReactProvider>
  );
}
