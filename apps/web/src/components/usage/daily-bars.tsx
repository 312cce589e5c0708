import { msOf } from '../format';

export interface DailyBar {
  day: string | Date;
  value: number;
}

const dayLabel = (moment: string | Date) =>
  new Date(msOf(moment)).toLocaleDateString('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * A bar per UTC day, drawn on the server as SVG (no chart library, no client script). The image's name
 * is its summary; the same figures are in a table under "Show as a table" for those who cannot see it.
 */
export function DailyBars({
  days,
  label,
  format,
  testId,
}: {
  days: DailyBar[];
  /** What the bars count, e.g. "Agent-hours per day". */
  label: string;
  format: (value: number) => string;
  testId?: string;
}) {
  const width = 600;
  const height = 80;
  const top = Math.max(1e-9, ...days.map((d) => d.value));
  const slot = width / Math.max(1, days.length);
  const total = days.reduce((sum, d) => sum + d.value, 0);
  const busiest = days.reduce<DailyBar | null>((best, d) => (d.value > (best?.value ?? 0) ? d : best), null);
  return (
    <figure className="flex flex-col gap-2 text-sm" data-testid={testId}>
      <figcaption className="text-muted">{label}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-20 w-full"
        role="img"
        aria-label={`${label}: ${format(total)} over ${days.length} days${
          busiest ? `, most on ${dayLabel(busiest.day)} (${format(busiest.value)})` : ''
        }.`}
        preserveAspectRatio="none"
      >
        <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} stroke="var(--color-border)" />
        {days.map((d, index) => {
          const h = (d.value / top) * (height - 4);
          return (
            <rect
              key={String(d.day)}
              x={index * slot + slot * 0.15}
              y={height - 1 - h}
              width={slot * 0.7}
              height={h}
              fill="var(--color-accent)"
            >
              <title>{`${dayLabel(d.day)}: ${format(d.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <details>
        <summary className="cursor-pointer text-muted">Show as a table</summary>
        <table className="mt-2 text-left">
          <thead className="text-muted">
            <tr>
              <th className="pr-4 font-medium">Day (UTC)</th>
              <th className="font-medium">{label}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={String(d.day)}>
                <td className="pr-4">{dayLabel(d.day)}</td>
                <td>{format(d.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
