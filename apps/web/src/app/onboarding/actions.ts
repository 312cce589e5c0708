'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { AppError } from '@pocket-smyth/core';
import { TRPCError } from '@trpc/server';
import { procedureAction } from '~/server/procedure-action';

// Onboarding's two calls, each one procedure through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages").

/** The live availability check while the person types (a POST, as every action is). */
export async function checkUsername(input: RouterInputs['user']['checkUsername']) {
  return procedureAction((api) => api.user.checkUsername(input));
}

/**
 * Takes the username and preferences and answers the person's new status (the form then goes to the
 * dashboard or the waiting page). A refusal about the name (taken meanwhile, or breaking a rule) is an
 * answer, not an error: the form shows it on the username step, so it comes back as `usernameRefused`.
 */
export async function completeOnboarding(input: RouterInputs['user']['completeOnboarding']) {
  return procedureAction(async (api) => {
    try {
      return { status: (await api.user.completeOnboarding(input)).status, usernameRefused: null };
    } catch (error) {
      if (
        error instanceof TRPCError &&
        error.cause instanceof AppError &&
        typeof error.cause.details?.rule === 'string'
      ) {
        return { status: null, usernameRefused: error.message };
      }
      throw error;
    }
  });
}
