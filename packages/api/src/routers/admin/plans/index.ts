import { createTRPCRouter } from '../../../trpc';
import { assignPlanProcedure } from './assign';
import { createPlanProcedure } from './create';
import { getPlanProcedure } from './get';
import { listPlansProcedure } from './list';
import { setPersonPlanProcedure } from './set-person-plan';
import { updatePlanProcedure } from './update';

export const adminPlansRouter = createTRPCRouter({
  list: listPlansProcedure,
  get: getPlanProcedure,
  create: createPlanProcedure,
  update: updatePlanProcedure,
  assign: assignPlanProcedure,
  setForPerson: setPersonPlanProcedure,
});
