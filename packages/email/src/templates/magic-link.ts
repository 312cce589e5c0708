import { html } from '../html';
import { htmlLayout, productName, textBody } from '../layout';
import type { MailData, RenderedMail } from '../mail-kinds';

export function renderMagicLink(data: MailData['magic_link']): RenderedMail {
  const subject = `Your ${productName} sign-in link`;
  const minutes = Math.max(1, Math.round(data.expiresInMinutes));
  const expiry = `The link works once and expires in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  const ignore = 'If you did not ask for it, ignore this mail.';
  return {
    subject,
    text: textBody([`Sign in to ${productName}:`, data.url, `${expiry} ${ignore}`]),
    html: htmlLayout({
      heading: `Sign in to ${productName}`,
      body: html`<p style="margin:0 0 12px;">${expiry} ${ignore}</p>`,
      action: { label: 'Sign in', url: data.url },
    }),
  };
}
