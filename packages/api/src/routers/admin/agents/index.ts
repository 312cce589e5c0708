import { createTRPCRouter } from '../../../trpc';
import {
  commandAgentsProcedure,
  restartAnyAgentProcedure,
  startAnyAgentProcedure,
  stopAnyAgentProcedure,
} from './command';
import { listAgentsProcedure } from './list';
import { moveAgentProcedure } from './move';

export const adminAgentsRouter = createTRPCRouter({
  list: listAgentsProcedure,
  start: startAnyAgentProcedure,
  stop: stopAnyAgentProcedure,
  restart: restartAnyAgentProcedure,
  command: commandAgentsProcedure,
  move: moveAgentProcedure,
});
