import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '~/components/ui/card';
import { ScrollArea } from '~/components/ui/scroll-area';
import { DailyBars } from '~/components/usage/daily-bars';
import { serverCaller } from '~/server/caller';

export const metadata: Metadata = { title: 'Usage' };

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const hours = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en')} h`;
const calls = (n: number) => Math.round(n).toLocaleString('en');
const oneLine = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

interface PersonUsage {
  personId: string;
  email: string | null;
  username: string | null;
  planName: string | null;
  agentHours: number;
  cpuHours: number;
  memoryGbHours: number;
  apiCalls: number;
}

/**
 * Everyone's usage in a calendar month (UTC), rendered on the server: the filters are a plain GET form
 * and the pages plain links, so the page ships no script of its own (docs/ARCHITECTURE.md, "Usage and
 * analytics").
 */
export default async function UsagePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const requested = oneLine(params.period);
  const period = requested && PERIOD.test(requested) ? requested : undefined;
  const planId = oneLine(params.plan) || undefined;
  const cursor = oneLine(params.cursor) || undefined;
  const caller = await serverCaller();
  const report = await caller.admin.usage.report({ period, planId });
  const people = await caller.admin.usage.people({ period: report.period, planId, cursor, limit: 50 });

  const lastDay = new Date(new Date(report.resetsAt).getTime() - 86_400_000).toISOString().slice(0, 10);
  const exportHref = `/api/usage/export?${new URLSearchParams({
    from: `${report.period}-01`,
    to: lastDay,
    granularity: 'day',
  })}`;
  const query = (extra: Record<string, string>) =>
    `/admin/usage?${new URLSearchParams({ period: report.period, ...(planId ? { plan: planId } : {}), ...extra })}`;

  return (
    <>
      <h1 className="text-2xl font-semibold">Usage</h1>
      <form method="get" action="/admin/usage" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          Month (UTC)
          <input
            type="month"
            name="period"
            defaultValue={report.period}
            className="rounded-md border border-border bg-surface px-2 py-1"
          />
        </label>
        <label className="flex flex-col gap-1">
          Plan
          <select
            name="plan"
            defaultValue={planId ?? ''}
            className="rounded-md border border-border bg-surface px-2 py-1"
          >
            <option value="">All plans</option>
            {report.plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="rounded-md border border-border bg-surface px-4 py-1.5 font-medium hover:bg-bg"
        >
          Show
        </button>
        <a
          href={exportHref}
          download
          className="rounded-md border border-border bg-surface px-4 py-1.5 font-medium hover:bg-bg sm:ml-auto"
        >
          Export month as CSV
        </a>
      </form>

      <Card title={`Totals for ${report.period}`}>
        <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <Figure label="Agent running" value={hours(report.totals.agentHours)} testId="usage-total-hours" />
          <Figure label="CPU" value={`${report.totals.cpuHours.toFixed(1)} core-h`} />
          <Figure label="Memory" value={`${report.totals.memoryGbHours.toFixed(1)} GB-h`} />
          <Figure label="API calls" value={calls(report.totals.apiCalls)} />
        </dl>
        <div className="grid gap-6 md:grid-cols-2">
          <DailyBars
            label="Agent-hours per day"
            days={report.days.map((d) => ({ day: d.day, value: d.agentHours }))}
            format={hours}
          />
          <DailyBars
            label="API calls per day"
            days={report.days.map((d) => ({ day: d.day, value: d.apiCalls }))}
            format={calls}
          />
        </div>
        <p className="mt-3 text-sm text-muted">
          {report.asOf ? 'Counted every five minutes.' : 'Nothing counted yet.'} Days are UTC.
        </p>
      </Card>

      <Card title="Top consumers">
        {report.top.length === 0 ? (
          <p className="text-sm text-muted">No usage in this month.</p>
        ) : (
          <UsageTable label="Top consumers" rows={report.top} />
        )}
      </Card>

      <Card title="Everyone">
        {people.items.length === 0 ? (
          <p className="text-sm text-muted">Nobody on this plan.</p>
        ) : (
          <UsageTable label="Usage per person" rows={people.items} />
        )}
        <nav aria-label="Pages" className="mt-4 flex gap-4 text-sm">
          {cursor ? (
            <Link className="underline" href={query({})}>
              First page
            </Link>
          ) : null}
          {people.nextCursor ? (
            <Link className="underline" href={query({ cursor: people.nextCursor })}>
              Next page
            </Link>
          ) : null}
        </nav>
      </Card>
    </>
  );
}

function UsageTable({ label, rows }: { label: string; rows: PersonUsage[] }) {
  return (
    <ScrollArea label={label}>
      <table className="stack-table w-full text-left text-sm">
        <thead className="text-muted">
          <tr>
            <th className="py-2 pr-3 font-medium">Person</th>
            <th className="py-2 pr-3 font-medium">Plan</th>
            <th className="py-2 pr-3 text-right font-medium">Agent-hours</th>
            <th className="py-2 pr-3 text-right font-medium">CPU-hours</th>
            <th className="py-2 pr-3 text-right font-medium">Memory GB-hours</th>
            <th className="py-2 text-right font-medium">API calls</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.personId} className="border-t border-border">
              <td data-label="Person" className="py-2 pr-3">
                {r.email ? (
                  <Link className="underline" href={`/admin/people/${r.personId}`}>
                    {r.username ?? r.email}
                  </Link>
                ) : (
                  <span className="text-muted">Deleted person</span>
                )}
              </td>
              <td data-label="Plan" className="py-2 pr-3">
                {r.planName ?? '—'}
              </td>
              <td data-label="Agent-hours" className="py-2 pr-3 text-right tabular-nums">
                {r.agentHours.toFixed(1)}
              </td>
              <td data-label="CPU-hours" className="py-2 pr-3 text-right tabular-nums">
                {r.cpuHours.toFixed(1)}
              </td>
              <td data-label="Memory GB-hours" className="py-2 pr-3 text-right tabular-nums">
                {r.memoryGbHours.toFixed(1)}
              </td>
              <td data-label="API calls" className="py-2 text-right tabular-nums">
                {calls(r.apiCalls)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
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
