import { failedRunDetails, runKindInWords } from '../failed-run-words';
import { html } from '../html';
import { htmlLayout, textBody } from '../layout';
import type { MailData, RenderedMail } from '../mail-kinds';

export function renderAdminAgentAttention(data: MailData['admin_agent_attention']): RenderedMail {
  const { person, run } = data;
  const name = person.name?.trim();
  const contact = person.email ? (name ? `${name} <${person.email}>` : person.email) : null;
  const who = contact ? `${contact} (username ${person.username})` : person.username;
  const subject = `Agent needs attention: ${person.username} (${run.kind} failed)`;
  const intro = `${runKindInWords[run.kind]} the agent of ${who} failed, and it will not be tried again on its own.`;
  const details = failedRunDetails(run);
  const retryLine = 'Retry it from the failed step:';
  return {
    subject,
    text: textBody([intro, details.text, `${retryLine}\n${data.retryUrl}`]),
    html: htmlLayout({
      heading: 'An agent needs attention',
      body: html`<p style="margin:0 0 12px;">${intro}</p>
${details.html}`,
      action: { label: 'Open their page to retry', url: data.retryUrl },
    }),
  };
}
