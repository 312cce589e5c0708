'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The dashboard's changes: each one procedure, through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer with only what the island shows; the page re-renders for the rest.

export async function setPublicUrl(input: RouterInputs['agent']['setPublic']) {
  return procedureAction(async (api) => (await api.agent.setPublic(input)).publicUrlEnabled);
}
