import { createTRPCRouter } from '../../../trpc';
import { getDefaultImageProcedure } from './image/get';
import { setDefaultImageProcedure } from './image/set';

export const adminSettingsRouter = createTRPCRouter({
  image: createTRPCRouter({ get: getDefaultImageProcedure, set: setDefaultImageProcedure }),
});
