import { createTRPCRouter } from '../../trpc';
import { myRunProcedure } from './get';
import { myRunsProcedure } from './mine';

export const runsRouter = createTRPCRouter({ mine: myRunsProcedure, get: myRunProcedure });
