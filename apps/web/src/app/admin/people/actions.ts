'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The people list's change: one procedure, through `procedureAction` (docs/ARCHITECTURE.md, "Portal
// pages"). It answers with the per-person results the outcome line names; the page re-renders the rest.

export async function assignPlan(input: RouterInputs['admin']['plans']['assign']) {
  return procedureAction(async (api) => (await api.admin.plans.assign(input)).results);
}
