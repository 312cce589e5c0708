import { listPeople, listPeopleInput } from '@pocket-smyth/core';
import { z } from 'zod';
import { isoDate } from '../../../schemas/date';
import { agentOutput, personOutput, statusCountsOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';

const listItem = personOutput
  .pick({ id: true, email: true, name: true, username: true, role: true, status: true, statusReason: true })
  .extend({
    requestedAt: isoDate().nullable(),
    createdAt: isoDate(),
    agentObservedState: agentOutput.shape.observedState.nullable(),
    agentDesiredState: agentOutput.shape.desiredState.nullable(),
    planId: z.string().nullable(),
    planName: z.string().nullable(),
  });

export const listUsersProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: {
      method: 'GET',
      path: '/users',
      tags: ['users'],
      summary: 'List people (filter, search, paginate)',
    },
  })
  .input(listPeopleInput)
  .output(
    z.object({ items: z.array(listItem), nextCursor: z.string().nullable(), counts: statusCountsOutput }),
  )
  .query(({ ctx, input }) => listPeople(ctx.db, input));
