import { createTRPCRouter } from '../../trpc';
import { myActivityProcedure } from './activity';
import { checkUsernameProcedure } from './check-username';
import { completeOnboardingProcedure } from './complete-onboarding';
import { meProcedure } from './me';
import { myPlanProcedure } from './plan';
import { updatePreferencesProcedure } from './update-preferences';
import { myUsageProcedure } from './usage';

export const userRouter = createTRPCRouter({
  me: meProcedure,
  checkUsername: checkUsernameProcedure,
  completeOnboarding: completeOnboardingProcedure,
  updatePreferences: updatePreferencesProcedure,
  activity: myActivityProcedure,
  usage: myUsageProcedure,
  plan: myPlanProcedure,
});
