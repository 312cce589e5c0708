import { createTRPCRouter } from '../../trpc';
import { getAgentProcedure } from './get';
import { restartAgentProcedure } from './restart';
import { setAgentPublicProcedure } from './set-public';

export const agentRouter = createTRPCRouter({
  get: getAgentProcedure,
  restart: restartAgentProcedure,
  setPublic: setAgentPublicProcedure,
});
