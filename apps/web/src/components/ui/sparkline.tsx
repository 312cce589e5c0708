/** A dependency-free line chart for the last hour of a metric. Fixed size, so nothing shifts on load. */
export function Sparkline({
  points,
  max,
  label,
  format,
}: {
  points: { at: Date; value: number | null }[];
  max?: number;
  label: string;
  format: (v: number) => string;
}) {
  const width = 320;
  const height = 64;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const top = Math.max(max ?? 0, ...values, 1);
  const first = points[0]?.at.getTime() ?? 0;
  const span = Math.max((points.at(-1)?.at.getTime() ?? 0) - first, 1);
  const path = points
    .filter((p) => p.value !== null)
    .map((p, i) => {
      const x = ((p.at.getTime() - first) / span) * width;
      const y = height - ((p.value as number) / top) * (height - 4) - 2;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  const last = values.at(-1);
  return (
    <figure className="flex flex-col gap-1">
      <figcaption className="flex items-baseline justify-between text-sm">
        <span className="text-muted">{label}</span>
        <span className="font-mono font-medium">{last === undefined ? '—' : format(last)}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        height={height}
        role="img"
        aria-label={`${label} over the last hour${last === undefined ? ': no samples yet' : `, now ${format(last)}`}`}
        className="rounded-md border border-border bg-bg"
        preserveAspectRatio="none"
      >
        {path ? (
          <path
            d={path}
            fill="none"
            stroke="var(--color-accent)"
            strokeWidth="2"
            vectorEffect="non-scaling-stroke"
          />
        ) : null}
      </svg>
    </figure>
  );
}
