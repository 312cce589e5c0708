import { createTRPCRouter } from '../../../trpc';
import { deleteAgentEnvProcedure } from './delete';
import { listAgentEnvProcedure } from './list';
import { setAgentEnvProcedure } from './set';

export const agentEnvRouter = createTRPCRouter({
  list: listAgentEnvProcedure,
  set: setAgentEnvProcedure,
  delete: deleteAgentEnvProcedure,
});
