import { createTRPCRouter } from '../../trpc';
import { createTokenProcedure } from './create';
import { listTokensProcedure } from './list';
import { revokeTokenProcedure } from './revoke';
import { listScopesProcedure } from './scopes';

export const tokensRouter = createTRPCRouter({
  list: listTokensProcedure,
  scopes: listScopesProcedure,
  create: createTokenProcedure,
  revoke: revokeTokenProcedure,
});
