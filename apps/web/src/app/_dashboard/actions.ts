'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The dashboard's changes: each one procedure, through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer with only what the island shows; the page re-renders for the rest.

export async function setPublicUrl(input: RouterInputs['agent']['setPublic']) {
  return procedureAction(async (api) => (await api.agent.setPublic(input)).publicUrlEnabled);
}

export async function restartAgent() {
  return procedureAction(async (api) => {
    await api.agent.restart();
    return null;
  });
}

export async function stopAgent() {
  return procedureAction(async (api) => {
    await api.agent.stop();
    return null;
  });
}

export async function startAgent() {
  return procedureAction(async (api) => {
    await api.agent.start();
    return null;
  });
}

export async function setAgentEnv(input: RouterInputs['agent']['env']['set']) {
  return procedureAction(async (api) => {
    const result = await api.agent.env.set(input);
    return { name: result.variable.name, restarting: result.restarting };
  });
}

export async function deleteAgentEnv(input: RouterInputs['agent']['env']['delete']) {
  return procedureAction(async (api) => (await api.agent.env.delete(input)).restarting);
}

export async function updatePreferences(input: RouterInputs['user']['updatePreferences']) {
  return procedureAction(async (api) => {
    await api.user.updatePreferences(input);
    return null;
  });
}

export async function createToken(input: RouterInputs['tokens']['create']) {
  // The secret is shown once, by the island: the page's list shows only the prefix.
  return procedureAction(async (api) => (await api.tokens.create(input)).secret);
}

export async function revokeToken(input: RouterInputs['tokens']['revoke']) {
  return procedureAction(async (api) => (await api.tokens.revoke(input)).name);
}
