import type { RouterOutputs } from '@pocket-smyth/api';

type Rollout = RouterOutputs['admin']['rollouts']['list'][number];

/** Statuses in which a rollout still moves agents (the server refuses a second one meanwhile). */
export const movingStatuses: ReadonlySet<string> = new Set(['running', 'paused', 'rolling_back']);

/**
 * The rollout the page follows: the newest, unless it was rolled back. A completed or stopped one stays
 * on show, with its Roll back button, until another starts.
 */
export function latestRolloutOf(rollouts: readonly Rollout[]): Rollout | undefined {
  const newest = rollouts[0];
  return newest && newest.status !== 'rolled_back' ? newest : undefined;
}
