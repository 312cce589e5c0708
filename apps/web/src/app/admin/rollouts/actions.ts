'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The Rollouts page's changes, each one procedure through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer only what the toast says; the page re-renders for the rest.

export async function setDefaultImage(input: RouterInputs['admin']['settings']['image']['set']) {
  return procedureAction(async (api) => (await api.admin.settings.image.set(input)).image);
}

export async function startRollout(input: RouterInputs['admin']['rollouts']['start']) {
  return procedureAction(async (api) => {
    const rollout = await api.admin.rollouts.start(input);
    return { total: rollout.total, toImage: rollout.toImage };
  });
}

type RolloutId = RouterInputs['admin']['rollouts']['pause'];

export async function pauseRollout(input: RolloutId) {
  return procedureAction(async (api) => (await api.admin.rollouts.pause(input)).status);
}

export async function resumeRollout(input: RolloutId) {
  return procedureAction(async (api) => (await api.admin.rollouts.resume(input)).status);
}

export async function rollbackRollout(input: RolloutId) {
  return procedureAction(async (api) => (await api.admin.rollouts.rollback(input)).status);
}
