import { usagePeople, usagePeopleInput } from '@pocket-smyth/core';
import { usagePeopleOutput } from '../../../schemas/usage-report';
import { adminProcedure } from '../../../trpc';

/** Each person's usage in a month, a page at a time by email, zeros included. */
export const usagePeopleProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: {
      method: 'GET',
      path: '/usage/people',
      tags: ['usage'],
      summary: 'Each person’s usage in a month, paginated',
    },
  })
  .input(usagePeopleInput)
  .output(usagePeopleOutput)
  .query(({ ctx, input }) => usagePeople(ctx.db, input));
