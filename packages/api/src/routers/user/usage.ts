import { usageWithQuota } from '@pocket-smyth/core';
import { z } from 'zod';
import { periodInput, usageWithQuotaOutput } from '../../schemas/usage';
import { activeProcedure } from '../../trpc';

/** The caller's usage this month (or `period`), per day (docs/ARCHITECTURE.md, "Usage metering"). */
export const myUsageProcedure = activeProcedure
  .meta({
    scope: 'me:read',
    openapi: { method: 'GET', path: '/me/usage', tags: ['me'], summary: 'Your usage this month, per day' },
  })
  .input(z.strictObject({ period: periodInput }))
  .output(usageWithQuotaOutput)
  .query(({ ctx, input }) => usageWithQuota(ctx.db, ctx.principal.person.id, input.period));
