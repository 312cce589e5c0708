import { createTRPCRouter } from '../../../../trpc';
import { deleteUserAgentEnvProcedure } from './delete';
import { listUserAgentEnvProcedure } from './list';
import { setUserAgentEnvProcedure } from './set';

export const adminUserAgentEnvRouter = createTRPCRouter({
  list: listUserAgentEnvProcedure,
  set: setUserAgentEnvProcedure,
  delete: deleteUserAgentEnvProcedure,
});
