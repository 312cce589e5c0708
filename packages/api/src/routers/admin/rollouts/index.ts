import { createTRPCRouter } from '../../../trpc';
import { getRolloutProcedure } from './get';
import { listRolloutsProcedure } from './list';
import { pauseRolloutProcedure } from './pause';
import { resumeRolloutProcedure } from './resume';
import { rollbackRolloutProcedure } from './rollback';
import { startRolloutProcedure } from './start';

export const adminRolloutsRouter = createTRPCRouter({
  list: listRolloutsProcedure,
  get: getRolloutProcedure,
  start: startRolloutProcedure,
  pause: pauseRolloutProcedure,
  resume: resumeRolloutProcedure,
  rollback: rollbackRolloutProcedure,
});
