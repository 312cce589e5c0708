import { html } from '../html';
import { greeting, htmlLayout, productName, textBody } from '../layout';
import type { MailData, RenderedMail } from '../mail-kinds';

/** An admin restored the person's access: their agent starts again, with its data as it was. */
export function renderRestored(data: MailData['restored']): RenderedMail {
  const subject = `Your ${productName} access is back`;
  const intro = `An administrator restored your access to ${productName}. Your agent is starting again, with its data as you left it. Sign in to use it; API tokens you had were revoked with your access, so make new ones if you need them.`;
  return {
    subject,
    text: textBody([greeting(data.name), intro]),
    html: htmlLayout({
      heading: subject,
      body: html`<p style="margin:0 0 12px;">${greeting(data.name)}</p>
<p style="margin:0 0 12px;">${intro}</p>`,
    }),
  };
}
