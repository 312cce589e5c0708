import { html } from '../html';
import { greeting, htmlLayout, productName, textBody } from '../layout';
import type { QuotaMailData, RenderedMail } from '../mail-kinds';

/** "1 January 2027": the day the quota starts again, in UTC like the period itself. */
function resetDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function hours(value: number): string {
  return `${Math.round(value * 10) / 10}`;
}

function quotaMail(data: QuotaMailData, exhausted: boolean): RenderedMail {
  const whose = data.forAdmin ? `${data.person.username}’s agent` : 'Your agent';
  const used = `${hours(data.usedHours)} of ${hours(data.limitHours)} agent-hours`;
  const day = resetDay(data.resetsAt);
  const subject = exhausted
    ? `${whose} has used its monthly agent-hours and was stopped`
    : `${whose} has used 80% of its monthly agent-hours`;
  const intro = exhausted
    ? `${whose} has used ${used} this month, its whole quota, so ${productName} stopped it. It starts again by itself on ${day} (UTC), or as soon as an administrator raises the plan or grants a top-up.`
    : `${whose} has used ${used} this month. At 100% it is stopped until ${day} (UTC).`;
  const next = data.forAdmin
    ? `Person: ${data.person.username} <${data.person.email}>. You can grant a one-off top-up on their page.`
    : exhausted
      ? 'Ask an administrator if you need more hours this month.'
      : 'Stop your agent when you do not need it to save hours.';
  return {
    subject,
    text: textBody([data.forAdmin ? null : greeting(data.name), intro, next, data.url]),
    html: htmlLayout({
      heading: subject,
      body: html`${data.forAdmin ? null : html`<p style="margin:0 0 12px;">${greeting(data.name)}</p>`}
<p style="margin:0 0 12px;">${intro}</p>
<p style="margin:0 0 12px;">${next}</p>`,
      action: { label: data.forAdmin ? 'Open their page' : 'Open your dashboard', url: data.url },
    }),
  };
}

export function renderQuotaWarning(data: QuotaMailData): RenderedMail {
  return quotaMail(data, false);
}

export function renderQuotaExhausted(data: QuotaMailData): RenderedMail {
  return quotaMail(data, true);
}
