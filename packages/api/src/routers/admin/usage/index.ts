import { createTRPCRouter } from '../../../trpc';
import { exportUsageProcedure } from './export';
import { usagePeopleProcedure } from './people';
import { usageReportProcedure } from './report';

export const adminUsageRouter = createTRPCRouter({
  report: usageReportProcedure,
  people: usagePeopleProcedure,
  export: exportUsageProcedure,
});
