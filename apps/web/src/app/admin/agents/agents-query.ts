import type { RouterInputs } from '@pocket-smyth/api';

/**
 * The Agents page's filters, kept in the URL (`?state=&host=&q=&sort=`, the names of the filter form's
 * fields) so the server renders the list they ask for, and read back from it here.
 */
type ListInput = RouterInputs['admin']['agents']['list'];
export type AgentSort = NonNullable<ListInput['sort']>;
type ObservedState = NonNullable<ListInput['observedState']>;
/** `state` is an observed state, 'drifted' (not as wanted), or '' for any. */
export type AgentFilters = { state: string; hostId: string; q: string; sort: AgentSort };

/** The states offered as filters, checked against the procedure's input type. */
export const observedStates: ObservedState[] = [
  'running',
  'stopped',
  'provisioning',
  'restarting',
  'failed',
  'deprovisioning',
  'absent',
];
export const sorts: [AgentSort, string][] = [
  ['username', 'name'],
  ['observed_since', 'latest change'],
  ['cpu', 'CPU'],
  ['memory', 'memory'],
];

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** The filters from the page's search params; an unknown state or sort is left out. */
export function filtersFrom(params: Record<string, string | string[] | undefined>): AgentFilters {
  const state = one(params.state);
  const sort = one(params.sort);
  return {
    state: state === 'drifted' || observedStates.includes(state as ObservedState) ? state : '',
    hostId: one(params.host),
    q: one(params.q).trim(),
    sort: sorts.find(([s]) => s === sort)?.[0] ?? 'username',
  };
}

/** The most agents the page lists at once; a full page says "500+". */
export const AGENTS_LIST_LIMIT = 500;

/** The list procedure's input for the filters. */
export function agentsQueryInput(f: AgentFilters): ListInput {
  return {
    sort: f.sort,
    limit: AGENTS_LIST_LIMIT,
    ...(f.state === 'drifted'
      ? { drifted: true }
      : f.state
        ? { observedState: f.state as ObservedState }
        : {}),
    ...(f.hostId ? { hostId: f.hostId } : {}),
    ...(f.q ? { q: f.q } : {}),
  };
}
