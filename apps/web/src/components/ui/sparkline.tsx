import { type Moment, msOf, windowStartLabel } from '../format';

/**
 * A dependency-free line chart of one metric over a time window. Fixed size, so nothing shifts on load.
 * By default it spans the first to the last point and calls that "the last hour" (the dashboard's
 * agent chart); a caller with another window passes `from`/`to` and `windowLabel`.
 *
 * Honest by construction: the y axis names its top in the metric's unit, the x axis says how long ago
 * the window starts, a reading that is missing (null) or a stretch without samples is a gap rather
 * than a line drawn through it, and a chart with nothing to draw says so and when to expect data.
 */

/** The worker samples every 15 s, in rounds started by a cron job every minute (docs/ARCHITECTURE.md). */
export const defaultEmptyText =
  'No samples yet: the worker takes one every 15 s, so the first is here within a minute.';

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
  emptyText = defaultEmptyText,
}: {
  points: { at: Moment; value: number | null }[];
  max?: number;
  label: string;
  format: (v: number) => string;
  /** Completes "{label} over …" in the chart's accessible name. */
  windowLabel?: string;
  /** The time span the x axis covers; defaults to the first and last point. */
  from?: Moment;
  to?: Moment;
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
  const at = (m: Moment | undefined) => (m === undefined ? undefined : msOf(m));
  const first = at(from) ?? at(points[0]?.at) ?? 0;
  const span = Math.max((at(to) ?? at(points.at(-1)?.at) ?? 0) - first, 1);

  // Segments of consecutive readings: a null reading or a pause longer than gapMs ends one.
  const segments: { x: number; y: number }[][] = [];
  let segment: { x: number; y: number }[] = [];
  let previous: number | undefined;
  for (const p of points) {
    const far = previous !== undefined && gapMs !== undefined && msOf(p.at) - previous > gapMs;
    if (p.value === null || far) {
      if (segment.length) segments.push(segment);
      segment = [];
    }
    if (p.value !== null) {
      segment.push({
        x: ((msOf(p.at) - first) / span) * width,
        y: height - (p.value / top) * (height - 4) - 2,
      });
      previous = msOf(p.at);
    } else previous = undefined;
  }
  if (segment.length) segments.push(segment);
  const path = segments
    .map((s) =>
      s
        .map((pt, i) => `${i === 0 ? 'M' : 'L'}${pt.x.toFixed(1)},${pt.y.toFixed(1)}`)
        .join(' ')
        // A point alone in its segment gets a zero-length line, which the round cap draws as a dot.
        .concat(s.length === 1 ? ' l0,0' : ''),
    )
    .join(' ');

  const now = current === undefined ? values.at(-1) : (current ?? undefined);
  const range =
    values.length > 0
      ? `, lowest ${format(Math.min(...values))}, highest ${format(Math.max(...values))}`
      : '';
  const summary =
    values.length === 0
      ? ': no samples yet'
      : now !== undefined
        ? `, now ${format(now)}${range}`
        : `: no current value${range}`;
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
          aria-label={`${label} over ${windowLabel}${summary}`}
          className="rounded-md border border-border bg-bg"
          preserveAspectRatio="none"
        >
          {/* The top of the scale, which the label in the corner names. */}
          <line
            x1="0"
            x2={width}
            y1="2"
            y2="2"
            stroke="var(--color-border)"
            strokeDasharray="4 4"
            vectorEffect="non-scaling-stroke"
          />
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
        {values.length > 0 ? (
          <span
            aria-hidden="true"
            className="absolute top-1 left-1.5 rounded bg-bg px-1 font-mono text-[0.6875rem] leading-4 text-muted"
          >
            {format(top)}
          </span>
        ) : (
          <span
            aria-hidden="true"
            className="absolute inset-0 flex items-center justify-center px-3 text-center text-xs text-muted"
          >
            {emptyText}
          </span>
        )}
      </div>
      <div aria-hidden="true" className="flex justify-between text-[0.6875rem] text-muted">
        <span>
          {points.length > 0 || from
            ? windowStartLabel(span)
            : windowLabel === 'the last hour'
              ? windowStartLabel(3_600_000)
              : windowLabel}
        </span>
        <span>now</span>
      </div>
    </figure>
  );
}
