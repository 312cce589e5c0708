import { deletePerson } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { adminProcedure } from '../../../trpc';

/** `confirm` must repeat the person's username (their email if they never picked one). */
export const deleteUserProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'DELETE',
      path: '/users/{id}',
      tags: ['users'],
      summary: 'Delete a person (their agent is removed; the activity log is kept)',
    },
  })
  .input(z.strictObject({ id: z.string().min(1).max(64), confirm: z.string().max(320) }))
  .output(z.object({ id: z.string(), deleted: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await deletePerson(ctx.db, changeDeps(ctx), input.id, input.confirm);
    return { id: input.id, deleted: true as const };
  });
