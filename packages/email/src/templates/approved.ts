import { html } from '../html';
import { greeting, htmlLayout, productName, textBody } from '../layout';
import type { MailData, RenderedMail } from '../mail-kinds';

export function renderApproved(data: MailData['approved']): RenderedMail {
  const subject = `You're approved for ${productName}`;
  const intro = `Your access to ${productName} was approved. Your agent is being set up now and will live at:`;
  const later = 'It can take a few minutes to start; the page shows each step while it does.';
  return {
    subject,
    text: textBody([greeting(data.name), intro, data.agentUrl, later]),
    html: htmlLayout({
      heading: subject,
      body: html`<p style="margin:0 0 12px;">${greeting(data.name)}</p>
<p style="margin:0 0 12px;">${intro}</p>
<p style="margin:0 0 12px;">${later}</p>`,
      action: { label: 'Open your agent', url: data.agentUrl },
    }),
  };
}
