import { type DbOrTx, users } from '@pocket-smyth/db';
import type { Mail } from '@pocket-smyth/email';
import { type JobRequest, sendMail } from '@pocket-smyth/jobs/contract';
import { and, eq } from 'drizzle-orm';
import type { Person } from './people-queries';
import type { ChangeDeps } from './ports';

/**
 * Writes a mail to the outbox inside `tx` (so it exists only if the change commits) and returns the
 * job that sends it, to be enqueued after the commit. Nothing when the caller has no mailer.
 */
export async function queueMail(tx: DbOrTx, deps: ChangeDeps, mail: Mail): Promise<JobRequest[]> {
  if (!deps.mailer) return [];
  const { id } = await deps.mailer.record(mail, { tx });
  return [sendMail(id)];
}

/** One note per active admin that someone is waiting for approval (docs/ARCHITECTURE.md, "Person"). */
export async function queueNewSignupNotes(
  tx: DbOrTx,
  deps: ChangeDeps,
  person: Person,
): Promise<JobRequest[]> {
  if (!deps.mailer) return [];
  const admins = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active')));
  const approvalQueueUrl = `${(deps.portalUrl ?? 'http://localhost:3000').replace(/\/+$/, '')}/admin/approvals`;
  const jobs: JobRequest[] = [];
  for (const admin of admins) {
    if (admin.email === person.email) continue;
    jobs.push(
      ...(await queueMail(tx, deps, {
        kind: 'admin_new_signup',
        to: admin.email,
        data: {
          person: { email: person.email, name: person.name, username: person.username },
          approvalQueueUrl,
        },
      })),
    );
  }
  return jobs;
}

/** The mail a decision sends to the person it is about, if any. */
export function decisionMail(action: string, person: Person, reason: string | null): Mail | null {
  const name = person.preferences.displayName ?? person.name;
  if (action === 'person.rejected') return { kind: 'rejected', to: person.email, data: { name, reason } };
  if (action === 'person.revoked') return { kind: 'revoked', to: person.email, data: { name, reason } };
  // Their agent starts again and their old tokens stay revoked: they hear it from us, not by trying.
  if (action === 'person.restored') return { kind: 'restored', to: person.email, data: { name } };
  return null;
}
