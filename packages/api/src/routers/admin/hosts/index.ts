import { createTRPCRouter } from '../../../trpc';
import { addHostProcedure } from './add';
import { drainHostProcedure } from './drain';
import { listHostsProcedure } from './list';
import { removeHostProcedure } from './remove';

export const adminHostsRouter = createTRPCRouter({
  list: listHostsProcedure,
  add: addHostProcedure,
  drain: drainHostProcedure,
  remove: removeHostProcedure,
});
