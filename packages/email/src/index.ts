export { classifyResendError } from './classify-resend-error';
export { escapeHtml } from './html';
export { isMailError, MailError, type MailErrorClass } from './mail-error';
export {
  type FailedRun,
  type Mail,
  type MailData,
  type MailKind,
  mailKinds,
  type QuotaMailData,
  type RenderedMail,
} from './mail-kinds';
export {
  createMailer,
  type DeliverOptions,
  type DeliveryResult,
  type Mailer,
  type MailerConfig,
  type OutboxEntry,
} from './mailer';
export { LOCAL_MAIL_FROM, type MailerSettings } from './mailer-settings';
export { renderMail, renderMailOf } from './render-mail';
