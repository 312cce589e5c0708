'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { createElement, type ReactNode } from 'react';
import { outcomeText, outcomeTone } from '~/components/bulk-outcome';
import { OutcomeNote } from '~/components/bulk-outcome-note';
import { procedureAction } from '~/server/procedure-action';

// The Agents page's changes: each one procedure, through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer with only what the island shows; the page re-renders for the rest.

type Agents = RouterInputs['admin']['agents'];

const verbs = {
  restart: 'Restart requested for',
  stop: 'Stop requested for',
  start: 'Start requested for',
} as const;

/**
 * Start, stop or restart the selected agents. The answer is the line above the list that says what
 * each did, rendered here (a server action may answer with elements), so the browser gets neither the
 * code that words it nor the note's. `names`, one per id as the list showed them, are only for those
 * words.
 */
export async function commandAgents({ names, ...input }: Agents['command'] & { names: string[] }) {
  return procedureAction(async (api): Promise<ReactNode> => {
    const { results } = await api.admin.agents.command(input);
    const nameOf = new Map(input.ids.map((id, i) => [id, names[i] || 'an agent']));
    const outcome = {
      text: outcomeText(verbs[input.command], results, (id) => nameOf.get(id) ?? 'an agent'),
      tone: outcomeTone(results),
    };
    return createElement(OutcomeNote, { outcome });
  });
}

export async function moveAgent(input: Agents['move']) {
  return procedureAction(async (api) => {
    await api.admin.agents.move(input);
    return null;
  });
}
