import { createTRPCRouter } from '../../trpc';
import { systemStatusProcedure } from './status';

export const systemRouter = createTRPCRouter({ status: systemStatusProcedure });
