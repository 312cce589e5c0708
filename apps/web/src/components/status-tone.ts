import type {
  AgentDesiredState,
  AgentObservedState,
  HostStatus,
  OutboxStatus,
  PersonStatus,
  RolloutAgentStatus,
  RolloutStatus,
  RunStatus,
  StepStatus,
} from '@pocket-smyth/db';

/**
 * One tone for every status word the portal shows, so "failed" is the same red on a badge, in the run
 * timeline and in a table. Types only from @pocket-smyth/db: the client bundle does not pull in the
 * database client. The unions are the schema's (docs/ARCHITECTURE.md, "Data model"); a new status that
 * is not mapped here fails the typecheck, and test/status-tone.test.ts checks the runtime lists.
 */
export type Tone = 'ok' | 'warn' | 'danger' | 'neutral' | 'info';

export type Status =
  | AgentDesiredState
  | AgentObservedState
  | RunStatus
  | StepStatus
  | PersonStatus
  | HostStatus
  | OutboxStatus
  | RolloutStatus
  | RolloutAgentStatus;

export const statusTones: Record<Status, Tone> = {
  // Fine: working as wanted.
  active: 'ok',
  running: 'ok',
  succeeded: 'ok',
  sent: 'ok',
  completed: 'ok',
  rolled_back: 'ok',
  // Something is under way; nobody needs to act.
  provisioning: 'info',
  restarting: 'info',
  deprovisioning: 'info',
  queued: 'info',
  in_progress: 'info',
  rolling_back: 'info',
  // Waiting on a person, or on its way out of use.
  pending: 'warn',
  draining: 'warn',
  paused: 'warn',
  // Went wrong, or access was refused.
  failed: 'danger',
  rejected: 'danger',
  revoked: 'danger',
  stopped_failed: 'danger',
  rollback_failed: 'danger',
  // At rest.
  onboarding: 'neutral',
  stopped: 'neutral',
  absent: 'neutral',
  cancelled: 'neutral',
  skipped: 'neutral',
  local: 'neutral',
};

/** A status's tone; a word the map does not know (an older API, a typo) is neutral, never a colour it does not mean. */
export function toneOf(status: string): Tone {
  return (statusTones as Record<string, Tone>)[status] ?? 'neutral';
}

/** Text colour classes per tone, for marks that are not badges (the timeline's step icons). */
export const toneText: Record<Tone, string> = {
  ok: 'text-ok',
  warn: 'text-warn',
  danger: 'text-danger',
  info: 'text-info',
  neutral: 'text-muted',
};
