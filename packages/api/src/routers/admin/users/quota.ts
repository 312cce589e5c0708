import { agentQuotaOfPerson, grantQuotaTopUp } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { agentQuotaOutput } from '../../../schemas/usage';
import { adminProcedure } from '../../../trpc';

const personId = z.string().min(1).max(64);

/** A person's agent-hours quota this month with its top-ups; 404 for no such person. */
export const userQuotaProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: {
      method: 'GET',
      path: '/users/{id}/quota',
      tags: ['users'],
      summary: 'A person’s agent-hours quota this month, with its top-ups',
    },
  })
  .input(z.strictObject({ id: personId }))
  .output(agentQuotaOutput)
  .query(({ ctx, input }) => agentQuotaOfPerson(ctx.db, input.id));

/**
 * One-off agent-hours for this month, with a reason (audited `quota.topup_granted`); an agent the quota
 * stopped starts again at once when there is room.
 */
export const grantQuotaTopUpProcedure = adminProcedure
  .meta({
    scope: 'admin:users:write',
    openapi: {
      method: 'POST',
      path: '/users/{id}/quota/top-ups',
      tags: ['users'],
      summary: 'Grant a person one-off agent-hours for this month',
    },
  })
  .input(
    z.strictObject({
      id: personId,
      agentHours: z.number().positive().max(744).describe('Agent-hours to add to this month’s quota'),
      reason: z.string().trim().min(1).max(500).describe('Why; shown in the activity log'),
    }),
  )
  .output(agentQuotaOutput)
  .mutation(({ ctx, input }) =>
    grantQuotaTopUp(ctx.db, changeDeps(ctx), input.id, {
      agentHours: input.agentHours,
      reason: input.reason,
    }),
  );
