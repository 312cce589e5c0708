import type { ActorKind } from '@pocket-smyth/db';
import type { Context } from './context';
import type { MailRecorder } from './domain/notifications';
import type { Enqueue } from './enqueue';

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

/** Everything a state-changing domain function needs besides `db`. */
export interface ChangeDeps extends ChangeMeta {
  enqueue: Enqueue;
  /** Absent: the change sends no mail (fixtures, the system). */
  mailer?: MailRecorder | null;
  portalUrl?: string;
}

export const systemActor: Actor = { kind: 'system', id: null, label: 'system', personId: null };

export function actorFromContext(ctx: Context): Actor {
  const p = ctx.principal;
  if (!p) return { kind: 'system', id: null, label: 'anonymous', personId: null };
  if (p.via === 'token') {
    return {
      kind: 'token',
      id: p.token.id,
      label: `${p.token.name} (${p.person.email})`,
      personId: p.person.id,
    };
  }
  return { kind: 'person', id: p.person.id, label: p.person.email, personId: p.person.id };
}

export function changeDeps(ctx: Context): ChangeDeps {
  return {
    actor: actorFromContext(ctx),
    requestId: ctx.requestId,
    ip: ctx.ip,
    enqueue: ctx.enqueue,
    mailer: ctx.mailer,
    portalUrl: ctx.portalUrl,
  };
}
