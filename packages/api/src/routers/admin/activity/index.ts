import { createTRPCRouter } from '../../../trpc';
import { exportActivityProcedure } from './export';
import { listActivityProcedure } from './list';

export const adminActivityRouter = createTRPCRouter({
  list: listActivityProcedure,
  export: exportActivityProcedure,
});
