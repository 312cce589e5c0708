import 'server-only';
import type { RouterOutputs } from '@pocket-smyth/api';
import Link from 'next/link';
import { Card } from '~/components/ui/card';
import { DailyBars } from '~/components/usage/daily-bars';
import { serverCaller } from '~/server/caller';

type Analytics = RouterOutputs['system']['analytics'];

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const count = (n: number) => Math.round(n).toLocaleString('en');
const hours = (n: number) => `${n.toFixed(1)} h`;

function waitInWords(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const h = minutes / 60;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

/**
 * The overview's analytics, rendered on the server (no chart library, no client script): counts per
 * UTC day over 30 or 90 days, the median wait for approval, and a 7×24 heatmap of agent-hours. The
 * overview streams it behind a Suspense boundary, so the counts above it paint first.
 */
export async function AnalyticsSection({ days }: { days: 30 | 90 }) {
  const analytics = await (await serverCaller()).system.analytics({ days });
  const series = (pick: (d: Analytics['days'][number]) => number) =>
    analytics.days.map((d) => ({ day: d.day, value: pick(d) }));
  return (
    <Card
      title="Trends"
      actions={
        <nav aria-label="Trend window" className="flex gap-3 text-sm">
          {([30, 90] as const).map((n) => (
            <Link
              key={n}
              href={n === 30 ? '/admin' : `/admin?trends=${n}`}
              aria-current={n === days ? 'page' : undefined}
              className={n === days ? 'font-semibold underline' : 'text-muted underline'}
            >
              {n} days
            </Link>
          ))}
        </nav>
      }
    >
      <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Figure label="Sign-ups" value={count(analytics.totals.signUps)} />
        <Figure label="Approvals" value={count(analytics.totals.approvals)} />
        <Figure label="Rejections" value={count(analytics.totals.rejections)} />
        <Figure
          label="Median wait for approval"
          value={analytics.medianApprovalMs === null ? '—' : waitInWords(analytics.medianApprovalMs)}
          testId="median-approval-wait"
        />
      </dl>
      <div className="grid gap-6 md:grid-cols-2">
        <DailyBars label="Sign-ups per day" days={series((d) => d.signUps)} format={count} />
        <DailyBars label="Approvals per day" days={series((d) => d.approvals)} format={count} />
        <DailyBars label="Rejections per day" days={series((d) => d.rejections)} format={count} />
        <DailyBars label="Agents running per day" days={series((d) => d.agentsRunning)} format={count} />
        <DailyBars label="API calls per day" days={series((d) => d.apiCalls)} format={count} />
      </div>
      <Heatmap heatmap={analytics.heatmap} />
      <p className="mt-3 text-sm text-muted">
        Days and hours are UTC. The median wait is over the {count(analytics.approvalsMeasured)} approvals in
        the window.
      </p>
    </Card>
  );
}

function Heatmap({ heatmap }: { heatmap: Analytics['heatmap'] }) {
  const cell = 20;
  const left = 36;
  const topPad = 14;
  let busiest = { weekday: 0, hour: 0, value: 0 };
  heatmap.cells.forEach((row, weekday) => {
    row.forEach((value, hour) => {
      if (value > busiest.value) busiest = { weekday, hour, value };
    });
  });
  const summary =
    busiest.value > 0
      ? `Agent-hours by hour of the week over the last 14 days; busiest ${WEEKDAYS[busiest.weekday]} ${String(busiest.hour).padStart(2, '0')}:00 UTC (${hours(busiest.value)}).`
      : 'Agent-hours by hour of the week over the last 14 days: none yet.';
  return (
    <figure className="mt-6 flex flex-col gap-2 text-sm">
      <figcaption className="text-muted">When agents run (agent-hours, last 14 days, UTC)</figcaption>
      <svg
        viewBox={`0 0 ${left + 24 * cell} ${topPad + 7 * cell}`}
        className="w-full max-w-2xl"
        role="img"
        aria-label={summary}
        data-testid="agent-heatmap"
      >
        {[0, 6, 12, 18].map((h) => (
          <text key={h} x={left + h * cell} y={10} fontSize={9} fill="var(--color-muted)">
            {String(h).padStart(2, '0')}
          </text>
        ))}
        {heatmap.cells.map((row, weekday) => (
          <g key={WEEKDAYS[weekday]}>
            <text x={0} y={topPad + weekday * cell + 14} fontSize={10} fill="var(--color-muted)">
              {WEEKDAYS[weekday]}
            </text>
            {row.map((value, hour) => (
              <rect
                key={hour}
                x={left + hour * cell + 1}
                y={topPad + weekday * cell + 1}
                width={cell - 2}
                height={cell - 2}
                rx={2}
                fill={value > 0 ? 'var(--color-accent)' : 'var(--color-border)'}
                fillOpacity={value > 0 ? 0.15 + 0.85 * (value / (heatmap.max || 1)) : 1}
              >
                <title>{`${WEEKDAYS[weekday]} ${String(hour).padStart(2, '0')}:00: ${hours(value)}`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
      <details>
        <summary className="cursor-pointer text-muted">Show as a table</summary>
        <div className="mt-2 overflow-x-auto">
          <table className="text-left text-xs tabular-nums">
            <thead className="text-muted">
              <tr>
                <th className="pr-2 font-medium">Day</th>
                {Array.from({ length: 24 }, (_, h) => (
                  <th key={h} className="px-1 font-medium">
                    {String(h).padStart(2, '0')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {heatmap.cells.map((row, weekday) => (
                <tr key={WEEKDAYS[weekday]}>
                  <th className="pr-2 font-medium">{WEEKDAYS[weekday]}</th>
                  {row.map((value, hour) => (
                    <td key={hour} className="px-1">
                      {value ? value.toFixed(1) : '0'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-muted">{label}</dt>
      <dd className="text-lg font-semibold" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
