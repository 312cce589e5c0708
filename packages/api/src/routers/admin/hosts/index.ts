import { createTRPCRouter } from '../../../trpc';
import { activateHostProcedure } from './activate';
import { addHostProcedure } from './add';
import { drainHostProcedure } from './drain';
import { evacuateHostProcedure } from './evacuate';
import { hostEvacuationProcedure } from './evacuation';
import { hostHistoryProcedure } from './history';
import { listHostsProcedure } from './list';
import { removeHostProcedure } from './remove';

export const adminHostsRouter = createTRPCRouter({
  list: listHostsProcedure,
  history: hostHistoryProcedure,
  add: addHostProcedure,
  drain: drainHostProcedure,
  activate: activateHostProcedure,
  remove: removeHostProcedure,
  evacuate: evacuateHostProcedure,
  evacuation: hostEvacuationProcedure,
});
