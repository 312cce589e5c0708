import { sessionProcedure } from '../../trpc';

/** The caller as stored now, whatever their status: the pending and rejected screens read this. */
export const meProcedure = sessionProcedure.query(({ ctx }) => {
  const p = ctx.principal.person;
  return {
    id: p.id,
    email: p.email,
    name: p.name,
    image: p.image,
    username: p.username,
    role: p.role,
    status: p.status,
    statusReason: p.statusReason,
    preferences: p.preferences,
    requestedAt: p.requestedAt,
    createdAt: p.createdAt,
    needsOnboarding: p.username === null && (p.status === 'onboarding' || p.status === 'active'),
  };
});
