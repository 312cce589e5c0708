'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import { procedureAction } from '~/server/procedure-action';

// The hosts page's changes: each one procedure, through `procedureAction` (docs/ARCHITECTURE.md,
// "Portal pages"). They answer with only what the island says in its toast; the page re-renders for
// the rest.

type Hosts = RouterInputs['admin']['hosts'];

export async function addHost(input: Hosts['add']) {
  return procedureAction(async (api) => (await api.admin.hosts.add(input)).name);
}

export async function drainHost(input: Hosts['drain']) {
  return procedureAction(async (api) => (await api.admin.hosts.drain(input)).id);
}

export async function activateHost(input: Hosts['activate']) {
  return procedureAction(async (api) => (await api.admin.hosts.activate(input)).id);
}

export async function removeHost(input: Hosts['remove']) {
  return procedureAction(async (api) => (await api.admin.hosts.remove(input)).id);
}

export async function evacuateHost(input: Hosts['evacuate']) {
  return procedureAction(async (api) => {
    const { total, batchSize } = await api.admin.hosts.evacuate(input);
    return { total, batchSize };
  });
}
