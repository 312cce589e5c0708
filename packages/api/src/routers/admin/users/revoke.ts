import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { revokePerson } from '../../../domain/people-lifecycle';
import { adminProcedure } from '../../../trpc';
import { reasonInput } from './inputs';

export const revokeUserProcedure = adminProcedure
  .input(z.object({ id: z.string().min(1).max(64), reason: reasonInput }))
  .mutation(async ({ ctx, input }) => {
    const person = await revokePerson(ctx.db, changeDeps(ctx), input.id, input.reason);
    return { id: person.id, status: person.status };
  });
