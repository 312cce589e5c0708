import { createTRPCRouter } from '../../trpc';
import { systemAnalyticsProcedure } from './analytics';
import { systemStatusProcedure } from './status';

export const systemRouter = createTRPCRouter({
  status: systemStatusProcedure,
  analytics: systemAnalyticsProcedure,
});
