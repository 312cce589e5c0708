import { createTRPCRouter } from '../../../trpc';
import { getAnyRunProcedure } from './get';
import { listAllRunsProcedure } from './list';
import { retryRunProcedure } from './retry';

export const adminRunsRouter = createTRPCRouter({
  list: listAllRunsProcedure,
  get: getAnyRunProcedure,
  retry: retryRunProcedure,
});
