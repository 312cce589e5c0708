import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { approvePeople } from '../../../domain/people-lifecycle';
import { adminProcedure } from '../../../trpc';
import { personIdsInput } from './inputs';

/** Approves many at once; each id gets its own result, so one wrong state does not block the rest. */
export const approveUsersProcedure = adminProcedure
  .input(z.object({ ids: personIdsInput }))
  .mutation(async ({ ctx, input }) => ({ results: await approvePeople(ctx.db, changeDeps(ctx), input.ids) }));
