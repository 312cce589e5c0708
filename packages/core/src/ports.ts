import type { ActorKind, DbOrTx } from '@pocket-smyth/db';
import type { Mail } from '@pocket-smyth/email';
import type { Enqueue, JobRequest, JobRequester } from '@pocket-smyth/jobs/contract';

/**
 * What the domain needs from the world besides `db`: who is acting, what the activity log records
 * about a change, how mail is written and how jobs are asked for. The transports (tRPC, REST, Auth.js
 * callbacks, the worker) fill these in; the domain never reads configuration or a request itself.
 */

export type { Enqueue, JobRequest };

/** Who an audit event is attributed to. */
export interface Actor {
  kind: ActorKind;
  id: string | null;
  label: string | null;
  /** The person behind a session or token; null for the system. */
  personId: string | null;
}

/** What the activity log records about a change besides the change itself. */
export interface ChangeMeta {
  actor: Actor;
  requestId: string | null;
  ip: string | null;
}

/** The part of packages/email's Mailer a change needs: write the outbox row in the change's transaction. */
export interface MailRecorder {
  record(mail: Mail, options?: { tx?: DbOrTx }): Promise<{ id: string }>;
}

/** Everything a state-changing domain function needs besides `db`. */
export interface ChangeDeps extends ChangeMeta {
  /** Called after the change has committed (docs/ARCHITECTURE.md, "Commit, then enqueue"). */
  enqueue: Enqueue;
  /** Absent: the change sends no mail (fixtures, the system). */
  mailer?: MailRecorder | null;
  /** The portal's public URL, for links in mail (e.g. the approval queue). */
  portalUrl?: string;
}

export const systemActor: Actor = { kind: 'system', id: null, label: 'system', personId: null };

/** The actor as an agent job's run records who asked for it. */
export function requesterOf(meta: ChangeMeta): JobRequester {
  return { kind: meta.actor.kind, id: meta.actor.id, label: meta.actor.label };
}
