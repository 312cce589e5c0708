import { createTRPCRouter } from '../../../trpc';
import { approveUserProcedure, approveUsersProcedure } from './approve';
import { deleteUserProcedure } from './delete';
import { getUserProcedure } from './get';
import { listUsersProcedure } from './list';
import { rejectUserProcedure, rejectUsersProcedure } from './reject';
import { restoreUserProcedure } from './restore';
import { revokeUserProcedure } from './revoke';
import { setUserImageProcedure } from './set-image';

export const adminUsersRouter = createTRPCRouter({
  list: listUsersProcedure,
  get: getUserProcedure,
  approve: approveUsersProcedure,
  approveOne: approveUserProcedure,
  reject: rejectUsersProcedure,
  rejectOne: rejectUserProcedure,
  revoke: revokeUserProcedure,
  restore: restoreUserProcedure,
  delete: deleteUserProcedure,
  setImage: setUserImageProcedure,
});
