import { type DbOrTx, parsePreferences, type RunKind, users } from '@pocket-smyth/db';
import { and, eq } from 'drizzle-orm';
import { sendMail } from '../contract';
import type { AgentRow, FailedRunSummary, JobDeps, JobMail } from '../deps';
import { errorClassOf, errorMessageOf } from '../errors';
import type { RunRecorder } from '../run-recorder';

/**
 * The runs whose failure the owner is told about. Not stop or deprovision: those follow a revocation or a
 * deletion, after which the person can no longer sign in to see or act on it. Admins hear of every kind:
 * they are the ones who retry, and a failed stop or removal leaves an agent (or its data) behind.
 */
const ownerIsToldOf: ReadonlySet<RunKind> = new Set<RunKind>(['provision', 'restart']);

function isOwnerRun(run: FailedRunSummary): run is FailedRunSummary & { kind: 'provision' | 'restart' } {
  return ownerIsToldOf.has(run.kind);
}

/** The "needs attention" mails of one run that failed for good. */
export interface AttentionMails {
  readonly mails: readonly JobMail[];
  /**
   * Writes the outbox rows inside the transaction that marks the run failed (`RunRecorder.fail`), so a
   * retried or crashed job can never write them twice. A mail that cannot be written (e.g. a link that
   * does not render) is left out and logged: it must not keep the failure itself from being recorded.
   */
  record(tx: DbOrTx): Promise<void>;
  /** After the commit: a `mail.send` job per row written. */
  send(): Promise<void>;
}

/**
 * Who hears that `run` failed for good, and what they read: the owner (provision and restart only, unless
 * they turned "email me when my agent … needs attention" off) and every other active admin. Reads only;
 * nothing is written until `record`.
 */
export async function attentionMailsFor(
  deps: JobDeps,
  run: RunRecorder,
  agent: AgentRow,
  error: unknown,
): Promise<AttentionMails> {
  const { db } = deps;
  const failed: FailedRunSummary = {
    kind: run.row.kind,
    step: run.stepRows.find((step) => step.status === 'failed')?.name ?? null,
    errorClass: errorClassOf(error),
    message: errorMessageOf(error),
  };
  const [owner] = agent.userId
    ? await db
        .select({
          email: users.email,
          name: users.name,
          status: users.status,
          preferences: users.preferences,
        })
        .from(users)
        .where(eq(users.id, agent.userId))
    : [];
  const ownerPreferences = parsePreferences(owner?.preferences);
  const ownerName = ownerPreferences.displayName ?? owner?.name ?? null;
  const toOwner =
    owner?.status === 'active' && ownerPreferences.emailNotifications !== false && isOwnerRun(failed)
      ? { email: owner.email, run: failed }
      : null;

  const admins = await db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active')));
  const portal = deps.portalUrl.replace(/\/+$/, '');
  const retryUrl = agent.userId ? `${portal}/admin/people/${agent.userId}` : `${portal}/admin/people`;
  const adminMails: JobMail[] = admins
    // An admin whose own agent failed gets the owner's mail, not both.
    .filter((admin) => admin.email !== toOwner?.email)
    .map((admin) => ({
      kind: 'admin_agent_attention',
      to: admin.email,
      data: {
        person: { username: agent.username, email: owner?.email ?? null, name: ownerName },
        run: failed,
        retryUrl,
      },
    }));
  const mails: JobMail[] = [
    ...(toOwner
      ? [
          {
            kind: 'agent_attention',
            to: toOwner.email,
            data: {
              name: ownerName,
              run: toOwner.run,
              adminsTold: adminMails.length > 0,
              dashboardUrl: deps.dashboardUrl(agent.username),
            },
          } satisfies JobMail,
        ]
      : []),
    ...adminMails,
  ];

  const written: string[] = [];
  return {
    mails,
    async record(tx) {
      for (const mail of mails) {
        try {
          written.push((await deps.mail.record(mail, { tx })).id);
        } catch (recordError) {
          console.warn(
            `[attention-mail] run ${run.id}: the ${mail.kind} mail to ${mail.to} could not be written`,
            recordError,
          );
        }
      }
    },
    async send() {
      if (written.length === 0) return;
      try {
        await deps.enqueue(written.map(sendMail));
      } catch (enqueueError) {
        // The job is failing already; its outcome must stay the run's error, not this one. The rows are
        // committed, so the reconciler sends them once the grace period has passed.
        console.warn(
          `[attention-mail] run ${run.id}: ${written.length} mail(s) are in the outbox but were not queued for sending`,
          enqueueError,
        );
      }
    },
  };
}
