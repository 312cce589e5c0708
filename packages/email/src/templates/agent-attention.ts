import { failedRunDetails, runKindInWords } from '../failed-run-words';
import { html } from '../html';
import { greeting, htmlLayout, textBody } from '../layout';
import type { MailData, RenderedMail } from '../mail-kinds';

export function renderAgentAttention(data: MailData['agent_attention']): RenderedMail {
  const subject = 'Your agent needs attention';
  const intro = `${runKindInWords[data.run.kind]} your agent failed, and it will not be tried again on its own.`;
  const details = failedRunDetails(data.run);
  const retry = data.adminsTold
    ? 'An admin has been told and can retry it from the step that failed.'
    : 'An admin can retry it from the step that failed.';
  const follow = 'Your dashboard shows each step and its output:';
  return {
    subject,
    text: textBody([greeting(data.name), intro, details.text, retry, `${follow}\n${data.dashboardUrl}`]),
    html: htmlLayout({
      heading: subject,
      body: html`<p style="margin:0 0 12px;">${greeting(data.name)}</p>
<p style="margin:0 0 12px;">${intro}</p>
${details.html}
<p style="margin:0 0 12px;">${retry}</p>
<p style="margin:0 0 12px;">${follow}</p>`,
      action: { label: 'Open your dashboard', url: data.dashboardUrl },
    }),
  };
}
