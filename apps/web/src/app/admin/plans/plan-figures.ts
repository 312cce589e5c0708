import type { RouterOutputs } from '@pocket-smyth/api';

export type PlanSummary = RouterOutputs['admin']['plans']['list'][number];

/** A plan's limits in words; null figures are the deployment's setting or no limit. */
export function planFigures(plan: PlanSummary): [string, string][] {
  const or = (value: number | null, unit: string, none: string) =>
    value === null ? none : `${value.toLocaleString('en')} ${unit}`;
  return [
    ['CPU', or(plan.cpus, plan.cpus === 1 ? 'CPU' : 'CPUs', 'deployment default')],
    ['Memory', or(plan.memoryMb, 'MB', 'deployment default')],
    ['Public URL', plan.publicUrlAllowed ? 'allowed' : 'not allowed'],
    ['API rate', or(plan.apiRequestsPerMinute, 'requests/min', 'deployment default')],
    ['Agent-hours', or(plan.monthlyAgentHours, 'per month', 'unlimited')],
    ['API calls', or(plan.monthlyApiCalls, 'per month', 'unlimited')],
    ['API tokens', or(plan.maxApiTokens, 'at most', 'unlimited')],
    ['Image', plan.agentImage ?? 'the default image'],
  ];
}
