import { html } from '../html';
import { htmlLayout, productName, textBody } from '../layout';
import type { MailData, RenderedMail } from '../mail-kinds';

export function renderAdminNewSignup(data: MailData['admin_new_signup']): RenderedMail {
  const { person } = data;
  const who = person.name?.trim() ? `${person.name.trim()} <${person.email}>` : person.email;
  const subject = `New sign-up waiting for approval: ${person.email}`;
  const intro = `${who} signed up for ${productName} and is waiting for approval.`;
  const usernameLine = person.username ? `Requested username: ${person.username}` : null;
  const queueLine = 'Review the approval queue:';
  return {
    subject,
    text: textBody([intro, usernameLine, `${queueLine}\n${data.approvalQueueUrl}`]),
    html: htmlLayout({
      heading: 'New sign-up waiting for approval',
      body: html`<p style="margin:0 0 12px;">${intro}</p>
${person.username ? html`<p style="margin:0 0 12px;">Requested username: <strong>${person.username}</strong></p>` : null}`,
      action: { label: 'Open the approval queue', url: data.approvalQueueUrl },
    }),
  };
}
