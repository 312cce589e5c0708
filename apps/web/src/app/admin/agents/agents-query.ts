import type { RouterInputs } from '@pocket-smyth/api';

/** The Agents page's list input, shared by the page's prefetch (a server component) and the table. */
type ListInput = RouterInputs['admin']['agents']['list'];
export type AgentSort = NonNullable<ListInput['sort']>;
type Filters = { state?: string; hostId?: string; q?: string; sort?: ListInput['sort'] };

/** The states offered as filters, checked against the procedure's input type. */
export const observedStates: NonNullable<ListInput['observedState']>[] = [
  'running',
  'stopped',
  'provisioning',
  'restarting',
  'failed',
  'deprovisioning',
  'absent',
];
export const sorts: [NonNullable<ListInput['sort']>, string][] = [
  ['username', 'name'],
  ['observed_since', 'latest change'],
  ['cpu', 'CPU'],
  ['memory', 'memory'],
];

/** The list's input from the filters; the page prefetches `agentsQueryInput({})` under the same key. */
export function agentsQueryInput(f: Filters): ListInput {
  return {
    sort: f.sort ?? 'username',
    limit: 500,
    ...(f.state === 'drifted'
      ? { drifted: true }
      : f.state
        ? { observedState: f.state as NonNullable<ListInput['observedState']> }
        : {}),
    ...(f.hostId ? { hostId: f.hostId } : {}),
    ...(f.q ? { q: f.q } : {}),
  };
}
