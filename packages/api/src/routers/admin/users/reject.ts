import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { rejectPeople } from '../../../domain/people-lifecycle';
import { adminProcedure } from '../../../trpc';
import { personIdsInput, reasonInput } from './inputs';

export const rejectUsersProcedure = adminProcedure
  .input(z.object({ ids: personIdsInput, reason: reasonInput }))
  .mutation(async ({ ctx, input }) => ({
    results: await rejectPeople(ctx.db, changeDeps(ctx), input.ids, input.reason),
  }));
