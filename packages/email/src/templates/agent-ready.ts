import { html } from '../html';
import { greeting, htmlLayout, textBody } from '../layout';
import type { MailData, RenderedMail } from '../mail-kinds';

export function renderAgentReady(data: MailData['agent_ready']): RenderedMail {
  const subject = 'Your agent is ready';
  const intro = 'Your agent is up and answering. Open it here:';
  return {
    subject,
    text: textBody([greeting(data.name), intro, data.agentUrl]),
    html: htmlLayout({
      heading: subject,
      body: html`<p style="margin:0 0 12px;">${greeting(data.name)}</p>
<p style="margin:0 0 12px;">${intro}</p>`,
      action: { label: 'Open your agent', url: data.agentUrl },
    }),
  };
}
