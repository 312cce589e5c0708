import type { RouterOutputs } from '@pocket-smyth/api';
import { Sparkline } from '~/components/ui/sparkline';
import { HistoryWindow } from './history-window';
import { type WindowHours, windows } from './history-windows';

export type History = RouterOutputs['admin']['hosts']['history'];

const percent = (v: number) => `${v.toFixed(0)} %`;

/**
 * CPU, memory and disk of one host over the last 1, 6 or 24 hours, drawn on the server; the page
 * re-renders every 15 s, as often as the worker writes a sample.
 */
export function HostHistory({
  id,
  name,
  hours,
  history,
}: {
  id: string;
  name: string;
  hours: WindowHours;
  /** The procedure's answer, or the message it failed with. */
  history: History | { error: string };
}) {
  const data = 'error' in history ? undefined : history;
  const points = data?.points ?? [];
  const chart = {
    windowLabel: windows.find((w) => w.hours === hours)?.words ?? 'the chosen window',
    from: data?.from,
    to: data?.to,
    max: 100,
    format: percent,
    // A stretch of three buckets with no sample is the worker not polling; draw it as a gap.
    gapMs: data ? data.bucketSeconds * 3_000 : undefined,
  };

  let status: string;
  if (!data) status = `Could not load the history: ${'error' in history ? history.error : ''}`;
  else if (points.length === 0) status = 'No samples yet — the worker polls every 15 s.';
  else status = `Averages over ${formatBucket(data.bucketSeconds)}; updated every 15 s.`;

  return (
    <HistoryWindow id={id} name={name} hours={hours} status={status} failed={!data}>
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
    </HistoryWindow>
  );
}

function formatBucket(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
