'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '~/trpc/react';

/**
 * The agent card and the provisioning timeline read two queries (agent.get and runs.mine) but tell one
 * story: "Provision succeeded" in the timeline and "provisioning" with Launch disabled on the card must
 * never stand side by side. So neither polls on its own clock: `RefetchAgentAndRunsTogether` refetches
 * both at the same moment, which tRPC's batch link sends as one request, and the worker commits a run's
 * end and the agent's new observed state in one transaction (packages/jobs `performAgentChange`), so
 * one answer holds both or neither. Window focus and the restart button refetch both together too.
 */

/** The timeline's runs: the newest five, as page.tsx prefetches them. */
export const timelineRunsInput = { limit: 5 } as const;

/** While something moves (a run queued or running, the agent changing), both are read every 2 s. */
export const MOVING_POLL_MS = 2_000;
/** Otherwise every 5 s: a host poll may still correct the agent's state behind our back. */
export const SETTLED_POLL_MS = 5_000;

const changingStates = new Set(['provisioning', 'restarting', 'deprovisioning']);

/** A run is moving the agent between states (the server refuses a start meanwhile). */
export function isChanging(observedState: string): boolean {
  return changingStates.has(observedState);
}

/** The person's agent, for the agent card. Polled by `RefetchAgentAndRunsTogether`, not by itself. */
export function useMyAgent() {
  const trpc = useTRPC();
  return useQuery(trpc.agent.get.queryOptions());
}

/** The person's latest runs, for the timeline. Polled by `RefetchAgentAndRunsTogether`, not by itself. */
export function useMyLatestRuns() {
  const trpc = useTRPC();
  return useQuery(trpc.runs.mine.queryOptions(timelineRunsInput));
}

/** True while the dashboard should follow closely: a run in progress or the agent changing state. */
export function isMoving(
  agent: { observedState: string } | null | undefined,
  runs: readonly { status: string }[] | undefined,
): boolean {
  return (
    (runs ?? []).some((run) => run.status === 'queued' || run.status === 'running') ||
    (agent ? isChanging(agent.observedState) : false)
  );
}

/** The one clock of the agent card and the timeline (rendered once, beside them). */
export function RefetchAgentAndRunsTogether(): null {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const agent = useMyAgent();
  const runs = useMyLatestRuns();
  const moving = isMoving(agent.data, runs.data);
  useEffect(() => {
    const timer = setInterval(
      () => {
        // In the same tick, so the batch link sends both in one request.
        void queryClient.refetchQueries({ queryKey: trpc.agent.get.queryKey() });
        void queryClient.refetchQueries({ queryKey: trpc.runs.mine.queryKey(timelineRunsInput) });
      },
      moving ? MOVING_POLL_MS : SETTLED_POLL_MS,
    );
    return () => clearInterval(timer);
  }, [moving, queryClient, trpc]);
  return null;
}
