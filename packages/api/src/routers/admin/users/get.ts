import { z } from 'zod';
import { getPersonWithAgent } from '../../../domain/people-list';
import { adminProcedure } from '../../../trpc';

export const personIdInput = z.object({ id: z.string().min(1).max(64) });

export const getUserProcedure = adminProcedure
  .input(personIdInput)
  .query(({ ctx, input }) => getPersonWithAgent(ctx.db, input.id));
