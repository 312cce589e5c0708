'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The person page's changes: each one procedure, through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer with only what the island says in its toast; the page re-renders for
// the rest.

type Users = RouterInputs['admin']['users'];

export async function revokePerson(input: Users['revoke']) {
  return procedureAction(async (api) => (await api.admin.users.revoke(input)).status);
}

export async function restorePerson(input: Users['restore']) {
  return procedureAction(async (api) => (await api.admin.users.restore(input)).status);
}

// The dialog goes to the list after it: the page is not rendered again for a person who is gone.
export async function deletePerson(input: Users['delete']) {
  return procedureAction(async (api) => (await api.admin.users.delete(input)).deleted, { refresh: false });
}

export async function retryRun(input: RouterInputs['admin']['runs']['retry']) {
  return procedureAction(async (api) => (await api.admin.runs.retry(input)).id);
}

export async function setPersonPlan(input: RouterInputs['admin']['plans']['setForPerson']) {
  return procedureAction(async (api) => (await api.admin.plans.setForPerson(input)).id);
}

export async function setPersonImage(input: Users['setImage']) {
  return procedureAction(async (api) => {
    const { imageOverride, reprovisioning } = await api.admin.users.setImage(input);
    return { imageOverride, reprovisioning };
  });
}

export async function grantTopUp(input: Users['grantQuotaTopUp']) {
  return procedureAction(async (api) => {
    const { limitHours, exhausted } = await api.admin.users.grantQuotaTopUp(input);
    return { limitHours, exhausted };
  });
}

// The environment card's actions take the person first: the page binds it (`setPersonEnv.bind(null,
// id)`), so the shared card calls them as it calls the dashboard's own.
export async function setPersonEnv(id: string, input: Omit<Users['env']['set'], 'id'>) {
  return procedureAction(async (api) => {
    const { variable, restarting } = await api.admin.users.env.set({ ...input, id });
    return { name: variable.name, restarting };
  });
}

export async function deletePersonEnv(id: string, input: Omit<Users['env']['delete'], 'id'>) {
  return procedureAction(async (api) => (await api.admin.users.env.delete({ ...input, id })).restarting);
}
