import { createTRPCRouter } from '../../trpc';
import { agentEnvRouter } from './env';
import { getAgentProcedure } from './get';
import { agentLogsProcedure, followAgentLogsProcedure } from './logs';
import { agentMetricsProcedure } from './metrics';
import { restartAgentProcedure } from './restart';
import { setAgentPublicProcedure } from './set-public';
import { startAgentProcedure, stopAgentProcedure } from './start-stop';

export const agentRouter = createTRPCRouter({
  env: agentEnvRouter,
  get: getAgentProcedure,
  logs: agentLogsProcedure,
  followLogs: followAgentLogsProcedure,
  metrics: agentMetricsProcedure,
  restart: restartAgentProcedure,
  setPublic: setAgentPublicProcedure,
  start: startAgentProcedure,
  stop: stopAgentProcedure,
});
