import { createTRPCRouter } from '../../../trpc';
import { listAllTokensProcedure } from './list';
import { revokeAnyTokenProcedure } from './revoke';

export const adminTokensRouter = createTRPCRouter({
  list: listAllTokensProcedure,
  revoke: revokeAnyTokenProcedure,
});
