import { createTRPCRouter } from '../../../trpc';
import { approveUsersProcedure } from './approve';
import { deleteUserProcedure } from './delete';
import { getUserProcedure } from './get';
import { listUsersProcedure } from './list';
import { rejectUsersProcedure } from './reject';
import { restoreUserProcedure } from './restore';
import { revokeUserProcedure } from './revoke';

export const adminUsersRouter = createTRPCRouter({
  list: listUsersProcedure,
  get: getUserProcedure,
  approve: approveUsersProcedure,
  reject: rejectUsersProcedure,
  revoke: revokeUserProcedure,
  restore: restoreUserProcedure,
  delete: deleteUserProcedure,
});
