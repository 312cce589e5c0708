import type { RunKind } from '@pocket-smyth/db';

/** A run that failed for good (no retry follows), as the attention mails describe it. */
export interface FailedRun {
  kind: RunKind;
  /** The step it failed at; null when it failed between steps. */
  step: string | null;
  /** e.g. `host_unreachable`, `script_failed`; put into words by the template. */
  errorClass: string;
  /** The step's own message, e.g. the host script's error. */
  message: string;
}

/** What each kind of mail needs to be written. Links are absolute URLs built by the caller. */
export interface MailData {
  /**
   * The person was approved and their agent answers at `agentUrl`: the provision run writes it once,
   * after its first successful health check, so it is also the "your agent is ready" mail.
   */
  approved: { name?: string | null; agentUrl: string };
  /** The person was not approved; `reason` is the admin's note, shown to them. */
  rejected: { name?: string | null; reason?: string | null };
  /** The person's access was withdrawn and their agent stopped. */
  revoked: { name?: string | null; reason?: string | null };
  /** A revoked person's access was given back; their agent starts again. */
  restored: { name?: string | null };
  /**
   * A provision or restart of the person's agent failed for good and waits for an admin's retry.
   * `adminsTold`: the admins were sent `admin_agent_attention` about the same failure.
   */
  agent_attention: {
    name?: string | null;
    run: FailedRun & { kind: 'provision' | 'restart' };
    adminsTold: boolean;
    dashboardUrl: string;
  };
  /** Sent to each admin when a run of someone's agent failed for good; `retryUrl` is where to retry it. */
  admin_agent_attention: {
    person: { username: string; email?: string | null; name?: string | null };
    run: FailedRun;
    retryUrl: string;
  };
  /** Sent to each admin when someone signs up and waits for approval. */
  admin_new_signup: {
    person: { email: string; name?: string | null; username?: string | null };
    approvalQueueUrl: string;
  };
  /** Passwordless sign-in. */
  magic_link: { url: string; expiresInMinutes: number };
  /**
   * The person's agent has used 80% of its monthly agent-hours (docs/ARCHITECTURE.md, "Plans and
   * quotas"); sent once per month to them and once to each admin (`forAdmin`).
   */
  quota_warning: QuotaMailData;
  /** The quota is used up: the agent was stopped until `resetsAt` or a top-up. Same audience. */
  quota_exhausted: QuotaMailData;
}

/** What both quota mails say: whose quota, how much of it, until when; `url` is where to act. */
export interface QuotaMailData {
  name?: string | null;
  forAdmin: boolean;
  person: { username: string; email: string };
  usedHours: number;
  limitHours: number;
  /** The first moment of the next calendar month, UTC, as an ISO 8601 string. */
  resetsAt: string;
  url: string;
}

export type MailKind = keyof MailData;

export const mailKinds = [
  'approved',
  'rejected',
  'revoked',
  'restored',
  'agent_attention',
  'admin_agent_attention',
  'admin_new_signup',
  'magic_link',
  'quota_warning',
  'quota_exhausted',
] as const satisfies readonly MailKind[];

/** One mail to one recipient; `data` is typed by `kind`. */
export type Mail = { [K in MailKind]: { kind: K; to: string; data: MailData[K] } }[MailKind];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}
