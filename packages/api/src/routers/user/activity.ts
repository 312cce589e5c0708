import { cursorInput, directionInput, listActivity } from '@pocket-smyth/core';
import { z } from 'zod';
import { activityEventOutput } from '../../schemas/activity';
import { activeProcedure } from '../../trpc';

/** What happened to the caller's own account, agent, runs and tokens (see `aboutPerson`). */
export const myActivityProcedure = activeProcedure
  .meta({
    scope: 'me:read',
    openapi: { method: 'GET', path: '/me/activity', tags: ['me'], summary: 'Your own activity' },
  })
  .input(
    z.strictObject({
      cursor: cursorInput,
      limit: z.number().int().min(1).max(100).default(20),
      direction: directionInput,
    }),
  )
  .output(z.object({ items: z.array(activityEventOutput), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) =>
    listActivity(ctx.db, { aboutPerson: ctx.principal.person.id, cursor: input.cursor, limit: input.limit }),
  );
