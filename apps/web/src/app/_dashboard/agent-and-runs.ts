/**
 * The agent card and the provisioning timeline show two reads (agent.get and runs.mine) but tell one
 * story: "Provision succeeded" in the timeline and "provisioning" with Launch disabled on the card must
 * never stand side by side. Both are read in the same server render of the page (and re-read together
 * by its `RefreshEvery`), and the worker commits a run's end and the agent's new observed state in one
 * transaction (packages/jobs `performAgentChange`), so one render holds both or neither.
 */

/** The timeline's runs: the newest five. */
export const timelineRunsInput = { limit: 5 } as const;

/** While something moves (a run queued or running, the agent changing), the page is re-read every 2 s. */
export const MOVING_POLL_MS = 2_000;
/** Otherwise every 15 s: a host poll may still correct the agent's state, and metrics come every 15 s. */
export const SETTLED_POLL_MS = 15_000;

const changingStates = new Set(['provisioning', 'restarting', 'deprovisioning']);

/** A run is moving the agent between states (the server refuses a start meanwhile). */
export function isChanging(observedState: string): boolean {
  return changingStates.has(observedState);
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
