import { revokePerson } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { personStatusOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';
import { reasonInput } from './inputs';

export const revokeUserProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'POST',
      path: '/users/{id}/revoke',
      tags: ['users'],
      summary: 'Revoke access: signs the person out, stops their agent, kills their tokens',
    },
  })
  .input(z.strictObject({ id: z.string().min(1).max(64), reason: reasonInput }))
  .output(personStatusOutput)
  .mutation(async ({ ctx, input }) => {
    const person = await revokePerson(ctx.db, changeDeps(ctx), input.id, input.reason);
    return { id: person.id, status: person.status };
  });
