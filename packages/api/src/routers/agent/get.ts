import { findAgentByPersonId } from '../../domain/people-queries';
import { activeProcedure } from '../../trpc';

/** The caller's agent as stored (desired and observed state); null before it exists. */
export const getAgentProcedure = activeProcedure.query(
  async ({ ctx }) => (await findAgentByPersonId(ctx.db, ctx.principal.person.id)) ?? null,
);
