import { html, linkUrl, type SafeHtml } from './html';

export const productName = 'Pocket Smyth';

export interface MailAction {
  label: string;
  url: string;
}

/**
 * The one HTML frame every mail shares. Styles are inline because many mail clients drop `<style>`
 * blocks; the layout is a single table column, which every client renders the same.
 */
export function htmlLayout(parts: { heading: string; body: SafeHtml; action?: MailAction }): string {
  const action = parts.action
    ? html`<p style="margin:24px 0;"><a href="${linkUrl(parts.action.url)}" style="display:inline-block;padding:12px 20px;background:#1f2937;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600;">${parts.action.label}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#6b7280;">Or open this link: <a href="${linkUrl(parts.action.url)}" style="color:#2563eb;">${parts.action.url}</a></p>`
    : null;
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${parts.heading}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;padding:24px 0;">
<tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;width:100%;background:#ffffff;border-radius:8px;padding:32px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#111827;">
<tr><td>
<h1 style="margin:0 0 16px;font-size:20px;">${parts.heading}</h1>
${parts.body}
${action}
<p style="margin:24px 0 0;font-size:12px;color:#9ca3af;">${productName}</p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`.value;
}

/** `Hello Ada,` or `Hello,` when we do not know the name. */
export function greeting(name: string | null | undefined): string {
  const trimmed = name?.trim();
  return trimmed ? `Hello ${trimmed},` : 'Hello,';
}

/** Paragraphs of the plain-text part, separated by blank lines, with the product name as signature. */
export function textBody(paragraphs: readonly (string | null | undefined | false)[]): string {
  return `${[...paragraphs.filter((p): p is string => typeof p === 'string' && p !== ''), `— ${productName}`].join('\n\n')}\n`;
}
