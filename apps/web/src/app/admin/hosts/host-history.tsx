'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { msOf } from '~/components/format';
import { Button } from '~/components/ui/button';
import { Sparkline } from '~/components/ui/sparkline';
import { useTRPC } from '~/trpc/react';

const windows = [
  { hours: 1, short: '1 h', words: 'the last hour' },
  { hours: 6, short: '6 h', words: 'the last 6 hours' },
  { hours: 24, short: '24 h', words: 'the last 24 hours' },
] as const;

const percent = (v: number) => `${v.toFixed(0)} %`;

/** CPU, memory and disk of one host over the last 1, 6 or 24 hours, kept fresh at the poll rate. */
export function HostHistory({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const [hours, setHours] = useState<(typeof windows)[number]['hours']>(1);
  const history = useQuery({
    ...trpc.admin.hosts.history.queryOptions({ id, hours }),
    // The worker writes a sample about every 15 s; asking more often would show nothing new.
    refetchInterval: 15_000,
    // Switching windows keeps the old chart up until the new one arrives, instead of blanking it.
    placeholderData: keepPreviousData,
  });
  const data = history.data;
  // Label what is drawn, which while a switch loads is still the previous window.
  const shown = windows.find((w) => data && w.hours * 3_600_000 === msOf(data.to) - msOf(data.from));
  const windowLabel = shown?.words ?? windows.find((w) => w.hours === hours)?.words ?? 'the chosen window';
  const points = data?.points ?? [];
  const chart = {
    windowLabel,
    from: data?.from,
    to: data?.to,
    max: 100,
    format: percent,
    // A stretch of three buckets with no sample is the worker not polling; draw it as a gap.
    gapMs: data ? data.bucketSeconds * 3_000 : undefined,
  };

  let status: string;
  if (history.isError) status = `Could not load the history: ${history.error.message}`;
  else if (history.isPending) status = 'Loading…';
  else if (points.length === 0) status = 'No samples yet — the worker polls every 15 s.';
  else if (history.isPlaceholderData) status = 'Updating…';
  else status = `Averages over ${formatBucket(data?.bucketSeconds ?? 0)}; updated every 15 s.`;

  return (
    <section
      className="mt-4 border-t border-border pt-4"
      aria-busy={history.isPending || history.isPlaceholderData}
    >
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-medium">Over time</h3>
        <fieldset className="flex gap-1">
          <legend className="sr-only">Chart window for {name}</legend>
          {windows.map((w) => (
            <Button
              key={w.hours}
              variant={w.hours === hours ? 'secondary' : 'ghost'}
              className="px-2.5 py-1 text-xs"
              aria-pressed={w.hours === hours}
              onClick={() => setHours(w.hours)}
            >
              {w.short}
            </Button>
          ))}
        </fieldset>
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Sparkline
          {...chart}
          label="CPU"
          points={points.map((p) => ({ at: p.at, value: p.cpuPercent }))}
          current={data?.latest?.cpuPercent ?? null}
        />
        <Sparkline
          {...chart}
          label="Memory"
          points={points.map((p) => ({ at: p.at, value: p.memoryPercent }))}
          current={data?.latest?.memoryPercent ?? null}
        />
        <Sparkline
          {...chart}
          label="Disk"
          points={points.map((p) => ({ at: p.at, value: p.diskPercent }))}
          current={data?.latest?.diskPercent ?? null}
        />
      </div>
      {/* One line of fixed height for every state, so the card never jumps; read out when it changes. */}
      <div className="mt-2 flex min-h-7 items-center justify-between gap-2 text-xs" role="status">
        <span className={`truncate ${history.isError ? 'text-danger' : 'text-muted'}`} title={status}>
          {status}
        </span>
        {history.isError ? (
          <Button
            variant="ghost"
            className="shrink-0 px-2 py-0.5 text-xs"
            onClick={() => void history.refetch()}
          >
            Retry
          </Button>
        ) : null}
      </div>
    </section>
  );
}

function formatBucket(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
