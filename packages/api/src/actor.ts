import type { Actor, ChangeDeps } from '@pocket-smyth/core';
import type { Context } from './context';

/** The actor a request acts as: the person behind a session, or a token acting for its owner. */
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

/** The ports a domain change needs, filled in from the request's context. */
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
