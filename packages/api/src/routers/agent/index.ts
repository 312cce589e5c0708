import { createTRPCRouter } from '../../trpc';
import { getAgentProcedure } from './get';
import { agentMetricsProcedure } from './metrics';
import { restartAgentProcedure } from './restart';
import { setAgentPublicProcedure } from './set-public';

export const agentRouter = createTRPCRouter({
  get: getAgentProcedure,
  metrics: agentMetricsProcedure,
  restart: restartAgentProcedure,
  setPublic: setAgentPublicProcedure,
});
