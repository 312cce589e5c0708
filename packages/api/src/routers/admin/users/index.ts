import { createTRPCRouter } from '../../../trpc';
import { followUserAgentLogsProcedure, userAgentLogsProcedure } from './agent-logs';
import { approveUserProcedure, approveUsersProcedure } from './approve';
import { deleteUserProcedure } from './delete';
import { adminUserAgentEnvRouter } from './env';
import { getUserProcedure } from './get';
import { listUsersProcedure } from './list';
import { grantQuotaTopUpProcedure, userQuotaProcedure } from './quota';
import { rejectUserProcedure, rejectUsersProcedure } from './reject';
import { restoreUserProcedure } from './restore';
import { revokeUserProcedure } from './revoke';
import { setUserImageProcedure } from './set-image';
import { userUsageProcedure } from './usage';

export const adminUsersRouter = createTRPCRouter({
  list: listUsersProcedure,
  get: getUserProcedure,
  agentLogs: userAgentLogsProcedure,
  followAgentLogs: followUserAgentLogsProcedure,
  approve: approveUsersProcedure,
  approveOne: approveUserProcedure,
  reject: rejectUsersProcedure,
  rejectOne: rejectUserProcedure,
  revoke: revokeUserProcedure,
  restore: restoreUserProcedure,
  delete: deleteUserProcedure,
  usage: userUsageProcedure,
  quota: userQuotaProcedure,
  grantQuotaTopUp: grantQuotaTopUpProcedure,
  env: adminUserAgentEnvRouter,
  setImage: setUserImageProcedure,
});
