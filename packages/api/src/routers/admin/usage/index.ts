import { createTRPCRouter } from '../../../trpc';
import { exportUsageProcedure } from './export';

export const adminUsageRouter = createTRPCRouter({
  export: exportUsageProcedure,
});
