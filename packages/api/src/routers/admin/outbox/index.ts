import { createTRPCRouter } from '../../../trpc';
import { listOutboxProcedure } from './list';

export const adminOutboxRouter = createTRPCRouter({ list: listOutboxProcedure });
