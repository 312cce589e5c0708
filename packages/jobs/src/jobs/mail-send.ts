import { mailSendSpec } from '../contract/mail-send';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Sends one outbox row; a row already sent is not sent again (the mailer checks). */
export const mailSend = defineJob(mailSendSpec, async (payload, { deps, signal }: JobContext<JobDeps>) => {
  await deps.mail.deliver(payload.outboxId, { signal });
});
