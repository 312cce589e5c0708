'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The Agents page's changes: each one procedure, through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer with only what the island shows; the page re-renders for the rest.

type Agents = RouterInputs['admin']['agents'];

/** Start, stop or restart the selected agents; each answers for itself. */
export async function commandAgents(input: Agents['command']) {
  return procedureAction(async (api) => (await api.admin.agents.command(input)).results);
}

export async function moveAgent(input: Agents['move']) {
  return procedureAction(async (api) => {
    await api.admin.agents.move(input);
    return null;
  });
}
