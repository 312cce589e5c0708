'use server';

import type { RouterInputs } from '@pocket-smyth/api';
import type { BulkOutcome } from '~/components/bulk-outcome';
import { procedureAction } from '~/server/procedure-action';

// The approval queue's two changes, each one procedure through `procedureAction`
// (docs/ARCHITECTURE.md, "Portal pages"). Each answers a result per person, for the outcome line.

type Users = RouterInputs['admin']['users'];

export async function approvePeople(input: Users['approve']) {
  return procedureAction(
    async (api): Promise<BulkOutcome[]> => (await api.admin.users.approve(input)).results,
  );
}

export async function rejectPeople(input: Users['reject']) {
  return procedureAction(
    async (api): Promise<BulkOutcome[]> => (await api.admin.users.reject(input)).results,
  );
}
