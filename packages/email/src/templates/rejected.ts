import { html } from '../html';
import { greeting, htmlLayout, productName, textBody } from '../layout';
import type { MailData, RenderedMail } from '../mail-kinds';

export function renderRejected(data: MailData['rejected']): RenderedMail {
  const subject = `Your ${productName} request was not approved`;
  const intro = `An administrator reviewed your request for ${productName} and did not approve it.`;
  const reason = data.reason?.trim() || null;
  const reasonLine = reason ? `Reason given: ${reason}` : null;
  return {
    subject,
    text: textBody([greeting(data.name), intro, reasonLine]),
    html: htmlLayout({
      heading: subject,
      body: html`<p style="margin:0 0 12px;">${greeting(data.name)}</p>
<p style="margin:0 0 12px;">${intro}</p>
${reason ? html`<p style="margin:0 0 12px;padding:12px;background:#f9fafb;border-left:3px solid #d1d5db;white-space:pre-wrap;">Reason given: ${reason}</p>` : null}`,
    }),
  };
}
