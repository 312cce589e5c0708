/** What each kind of mail needs to be written. Links are absolute URLs built by the caller. */
export interface MailData {
  /** The person was approved; their agent is on its way at `agentUrl`. */
  approved: { name?: string | null; agentUrl: string };
  /** The person was not approved; `reason` is the admin's note, shown to them. */
  rejected: { name?: string | null; reason?: string | null };
  /** The person's access was withdrawn and their agent stopped. */
  revoked: { name?: string | null; reason?: string | null };
  /** The agent answered its health check and can be used. */
  agent_ready: { name?: string | null; agentUrl: string };
  /** Sent to each admin when someone signs up and waits for approval. */
  admin_new_signup: {
    person: { email: string; name?: string | null; username?: string | null };
    approvalQueueUrl: string;
  };
  /** Passwordless sign-in. */
  magic_link: { url: string; expiresInMinutes: number };
}

export type MailKind = keyof MailData;

export const mailKinds = [
  'approved',
  'rejected',
  'revoked',
  'agent_ready',
  'admin_new_signup',
  'magic_link',
] as const satisfies readonly MailKind[];

/** One mail to one recipient; `data` is typed by `kind`. */
export type Mail = { [K in MailKind]: { kind: K; to: string; data: MailData[K] } }[MailKind];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}
