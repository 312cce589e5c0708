'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The approval queue's changes: each one procedure, through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer with the per-person results the outcome line names; the page re-renders
// for the rest.

export async function approvePeople(input: RouterInputs['admin']['users']['approve']) {
  return procedureAction(async (api) => (await api.admin.users.approve(input)).results);
}

export async function rejectPeople(input: RouterInputs['admin']['users']['reject']) {
  return procedureAction(async (api) => (await api.admin.users.reject(input)).results);
}
