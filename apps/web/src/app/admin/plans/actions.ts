'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The Plans page's changes, each one procedure through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer the plan's name for the toast; the page re-renders for the rest.

export async function createPlan(input: RouterInputs['admin']['plans']['create']) {
  return procedureAction(async (api) => (await api.admin.plans.create(input)).name);
}

/** Edits, makes default, archives or restores a plan. */
export async function updatePlan(input: RouterInputs['admin']['plans']['update']) {
  return procedureAction(async (api) => (await api.admin.plans.update(input)).name);
}
