/**
 * A dependency-free line chart of one metric over a time window. Fixed size, so nothing shifts on load.
 * By default it spans the first to the last point and calls that "the last hour" (the dashboard's
 * agent chart); a caller with another window passes `from`/`to` and `windowLabel`.
 */
export function Sparkline({
  points,
  max,
  label,
  format,
  windowLabel = 'the last hour',
  from,
  to,
  current,
  gapMs,
  emptyText = 'No samples yet',
}: {
  points: { at: Date; value: number | null }[];
  max?: number;
  label: string;
  format: (v: number) => string;
  /** Completes "{label} over …" in the chart's accessible name. */
  windowLabel?: string;
  /** The time span the x axis covers; defaults to the first and last point. */
  from?: Date;
  to?: Date;
  /** The value to call "now" when the points are averages; defaults to the last point's value. */
  current?: number | null;
  /** Points further apart than this are not joined, so a stretch with no samples shows as a gap. */
  gapMs?: number;
  /** Shown across a chart with nothing to draw, so an empty box does not read as a broken one. */
  emptyText?: string;
}) {
  const width = 320;
  const height = 64;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const top = Math.max(max ?? 0, ...values, 1);
  const first = from?.getTime() ?? points[0]?.at.getTime() ?? 0;
  const span = Math.max((to?.getTime() ?? points.at(-1)?.at.getTime() ?? 0) - first, 1);
  const apart = (a: { at: Date } | undefined, b: { at: Date } | undefined) =>
    a === undefined || b === undefined || (gapMs !== undefined && b.at.getTime() - a.at.getTime() > gapMs);
  const path = points
    .filter((p) => p.value !== null)
    .map((p, i, drawn) => {
      const x = ((p.at.getTime() - first) / span) * width;
      const y = height - ((p.value as number) / top) * (height - 4) - 2;
      const startsSegment = apart(drawn[i - 1], p);
      const endsSegment = apart(p, drawn[i + 1]);
      // A point alone in its segment gets a zero-length line, which the round cap draws as a dot.
      const dot = startsSegment && endsSegment ? ' l0,0' : '';
      return `${startsSegment ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}${dot}`;
    })
    .join(' ');
  const now = current === undefined ? values.at(-1) : (current ?? undefined);
  return (
    <figure className="flex flex-col gap-1">
      <figcaption className="flex items-baseline justify-between text-sm">
        <span className="text-muted">{label}</span>
        <span className="font-mono font-medium">{now === undefined ? '—' : format(now)}</span>
      </figcaption>
      <div className="relative">
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width="100%"
          height={height}
          role="img"
          aria-label={`${label} over ${windowLabel}${
            now !== undefined
              ? `, now ${format(now)}`
              : values.length > 0
                ? ': no current value'
                : ': no samples yet'
          }`}
          className="rounded-md border border-border bg-bg"
          preserveAspectRatio="none"
        >
          {path ? (
            <path
              d={path}
              fill="none"
              stroke="var(--color-accent)"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
              vectorEffect="non-scaling-stroke"
            />
          ) : null}
        </svg>
        {values.length === 0 ? (
          <span
            aria-hidden="true"
            className="absolute inset-0 flex items-center justify-center px-2 text-center text-xs text-muted"
          >
            {emptyText}
          </span>
        ) : null}
      </div>
    </figure>
  );
}
