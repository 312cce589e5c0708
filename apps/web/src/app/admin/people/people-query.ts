import type { PersonStatus } from '@pocket-smyth/db';

// Listed here rather than imported, so the database package stays out of the browser bundle.
export const personStatuses = [
  'pending',
  'active',
  'onboarding',
  'revoked',
  'rejected',
] as const satisfies readonly PersonStatus[];
export type PersonStatusFilter = (typeof personStatuses)[number] | '';

/** A `?status=` value from the address bar, or no filter when it is not a status. */
export function personStatusOrNone(value: string | undefined): PersonStatusFilter {
  return (personStatuses as readonly string[]).includes(value ?? '') ? (value as PersonStatusFilter) : '';
}

/** The people list's query input from its filters (an empty one is no filter). */
export function peopleQueryInput(filter: {
  status?: PersonStatusFilter;
  role?: '' | 'user' | 'admin';
  search?: string;
  planId?: string;
}) {
  return {
    status: filter.status || undefined,
    role: filter.role || undefined,
    search: filter.search || undefined,
    planId: filter.planId || undefined,
    limit: 25,
  };
}

/** A `?role=` value from the address bar, or no filter. */
export function roleOrNone(value: string | undefined): '' | 'user' | 'admin' {
  return value === 'user' || value === 'admin' ? value : '';
}

/** A `?plan=` value from the address bar (a plan id), or no filter. */
export function planIdOrNone(value: string | undefined): string {
  return value && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : '';
}
