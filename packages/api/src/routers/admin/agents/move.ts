import { moveAgent } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { adminProcedure } from '../../../trpc';

/** `POST /agents/{id}/move {hostId}`: a run with steps (stop, copy the data, start there, clean up). */
export const moveAgentProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/agents/{id}/move',
      tags: ['agents'],
      summary: 'Move an agent, with its data, to another host',
    },
  })
  .input(z.strictObject({ id: z.string().min(1).max(64), hostId: z.string().min(1).max(64) }))
  .output(
    z.object({ agentId: z.string(), username: z.string(), fromHostId: z.string(), toHostId: z.string() }),
  )
  .mutation(({ ctx, input }) => moveAgent(ctx.db, changeDeps(ctx), input.id, input.hostId));
