import type { RouterOutputs } from '@pocket-smyth/api';

type Rollout = RouterOutputs['admin']['rollouts']['list'][number];

/** Statuses in which a rollout still moves agents (the server refuses a second one meanwhile). */
export const movingStatuses: ReadonlySet<string> = new Set(['running', 'paused', 'rolling_back']);

/**
 * The rollout the page follows: the newest, unless it has ended cleanly (completed, rolled back); one
 * that stopped by itself stays on show until someone rolls it back or starts another. Shared by the
 * server page (which prefetches it) and the client.
 */
export function activeRolloutOf(rollouts: readonly Rollout[]): Rollout | undefined {
  const newest = rollouts[0];
  return newest && (movingStatuses.has(newest.status) || newest.status === 'stopped_failed')
    ? newest
    : undefined;
}
