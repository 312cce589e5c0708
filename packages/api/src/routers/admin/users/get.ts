import { getPersonWithAgent } from '@pocket-smyth/core';
import { z } from 'zod';
import { adminPersonAgentOutput, personOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';

export const personIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export const getUserProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: { method: 'GET', path: '/users/{id}', tags: ['users'], summary: 'A person and their agent' },
  })
  .input(personIdInput)
  .output(z.object({ person: personOutput, agent: adminPersonAgentOutput.nullable() }))
  .query(({ ctx, input }) => getPersonWithAgent(ctx.db, input.id));
