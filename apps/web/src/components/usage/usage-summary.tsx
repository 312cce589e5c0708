import type { RouterOutputs } from '@pocket-smyth/api';
import { msOf } from '../format';

type UsagePeriod = RouterOutputs['user']['usage'];

const hours = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en')} h`;
const monthDay = (moment: string | Date) =>
  new Date(msOf(moment)).toLocaleDateString('en', { day: 'numeric', month: 'long', timeZone: 'UTC' });

/**
 * A month's usage: the figures so far, a bar per day of agent-hours, and when the month resets. The
 * chart is an image with its own summary as its name; the figures above it are the text.
 */
export function UsageSummary({ usage }: { usage: UsagePeriod }) {
  const width = 320;
  const height = 64;
  const daysInMonth = Math.round((msOf(usage.resetsAt) - msOf(usage.start)) / 86_400_000);
  const top = Math.max(1, ...usage.days.map((d) => d.agentHours));
  const slot = width / daysInMonth;
  const busiest = usage.days.reduce<(typeof usage.days)[number] | null>(
    (best, d) => (d.agentHours > (best?.agentHours ?? 0) ? d : best),
    null,
  );
  const quota = usage.quota;
  const agentHours = quota ? quota.agentHours.used : usage.totals.agentHours;
  const agentLimit = quota?.agentHours.limit ?? null;
  const callLimit = quota?.apiCalls.limit ?? null;
  return (
    <div className="flex flex-col gap-3 text-sm">
      {quota ? <QuotaNotice quota={quota} resetsAt={usage.resetsAt} /> : null}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure
          label={agentLimit === null ? 'Agent running' : `Agent running, of ${hours(agentLimit)}`}
          value={hours(agentHours)}
          testId="usage-agent-hours"
        />
        <Figure label="CPU" value={`${usage.totals.cpuHours.toFixed(1)} core-h`} />
        <Figure label="Memory" value={`${usage.totals.memoryGbHours.toFixed(1)} GB-h`} />
        <Figure
          label={callLimit === null ? 'API calls' : `API calls, of ${callLimit.toLocaleString('en')}`}
          value={usage.totals.apiCalls.toLocaleString('en')}
          testId="usage-api-calls"
        />
      </dl>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-16 w-full"
        role="img"
        aria-label={`Agent hours per day this month: ${hours(usage.totals.agentHours)} in all${
          busiest ? `, most on ${monthDay(busiest.day)} (${hours(busiest.agentHours)})` : ''
        }.`}
        preserveAspectRatio="none"
      >
        <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} stroke="var(--color-border)" />
        {usage.days.map((d, index) => {
          const h = (d.agentHours / top) * (height - 4);
          return (
            <rect
              key={String(d.day)}
              x={index * slot + slot * 0.15}
              y={height - 1 - h}
              width={slot * 0.7}
              height={h}
              fill="var(--color-accent)"
            >
              <title>{`${monthDay(d.day)}: ${hours(d.agentHours)}, ${d.apiCalls} API calls`}</title>
            </rect>
          );
        })}
      </svg>
      <p className="text-muted">
        Calendar month in UTC; resets on {monthDay(usage.resetsAt)}.
        {usage.asOf
          ? ' Counted every five minutes.'
          : ' Nothing counted yet: the first count comes within five minutes.'}
      </p>
    </div>
  );
}

type Quota = NonNullable<UsagePeriod['quota']>;

/**
 * At 80% of a monthly limit, and when it is used up (docs/ARCHITECTURE.md, "Plans and quotas"): at 100%
 * of the agent-hours the agent is stopped until the month resets or an admin adds hours.
 */
function QuotaNotice({ quota, resetsAt }: { quota: Quota; resetsAt: string | Date }) {
  const { agentHours, apiCalls } = quota;
  const lines: string[] = [];
  if (agentHours.exhausted) {
    lines.push(
      `The agent has used all ${hours(agentHours.limit ?? 0)} of its monthly agent-hours and is stopped until ${monthDay(resetsAt)} (UTC), unless an admin grants more.`,
    );
  } else if (agentHours.warning) {
    lines.push(
      `${Math.floor(agentHours.percent ?? 0)}% of the monthly agent-hours used: at 100% the agent is stopped until ${monthDay(resetsAt)}.`,
    );
  }
  if (apiCalls.exhausted) lines.push('All of this month’s API calls are used.');
  else if (apiCalls.warning)
    lines.push(`${Math.floor(apiCalls.percent ?? 0)}% of this month’s API calls used.`);
  if (lines.length === 0) return null;
  const severe = agentHours.exhausted || apiCalls.exhausted;
  return (
    <div
      role="status"
      data-testid="usage-quota-notice"
      className={`rounded-md border px-3 py-2 ${severe ? 'border-danger/40 bg-danger/10 text-danger' : 'border-warn/40 bg-warn/10 text-warn'}`}
    >
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {agentHours.topUpHours > 0 ? (
        <p className="text-muted">Includes {hours(agentHours.topUpHours)} granted for this month.</p>
      ) : null}
    </div>
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
