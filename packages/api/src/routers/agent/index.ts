import { createTRPCRouter } from '../../trpc';
import { getAgentProcedure } from './get';

export const agentRouter = createTRPCRouter({ get: getAgentProcedure });
