import type { MailData, MailKind, RenderedMail } from './mail-kinds';
import { renderAdminAgentAttention } from './templates/admin-agent-attention';
import { renderAdminNewSignup } from './templates/admin-new-signup';
import { renderAgentAttention } from './templates/agent-attention';
import { renderApproved } from './templates/approved';
import { renderMagicLink } from './templates/magic-link';
import { renderQuotaExhausted, renderQuotaWarning } from './templates/quota';
import { renderRejected } from './templates/rejected';
import { renderRestored } from './templates/restored';
import { renderRevoked } from './templates/revoked';

const renderers: { [K in MailKind]: (data: MailData[K]) => RenderedMail } = {
  approved: renderApproved,
  rejected: renderRejected,
  revoked: renderRevoked,
  restored: renderRestored,
  agent_attention: renderAgentAttention,
  admin_agent_attention: renderAdminAgentAttention,
  admin_new_signup: renderAdminNewSignup,
  magic_link: renderMagicLink,
  quota_warning: renderQuotaWarning,
  quota_exhausted: renderQuotaExhausted,
};

/** Subject, plain text and HTML for one mail. Pure: the same input always gives the same mail. */
export function renderMail<K extends MailKind>(kind: K, data: MailData[K]): RenderedMail {
  return renderers[kind](data);
}

/** `renderMail` for a whole `Mail`, whose `kind` and `data` already belong together. */
export function renderMailOf<K extends MailKind>(mail: { kind: K; data: MailData[K] }): RenderedMail {
  return renderMail(mail.kind, mail.data);
}
