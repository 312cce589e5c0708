/**
 * The job contract: what the portal may ask the worker to do, with no graphile-worker import, so the
 * web app and packages/core can enqueue without pulling the queue's runtime in.
 *
 * Each job is a spec (name, payload schema, key, queue, retry budget; `src/contract/*.ts`); the worker
 * attaches a handler to each (`src/jobs/*.ts`). Requests are built from the specs by the builders
 * below, so a misspelt job name, a payload of the wrong shape or a key of the wrong form does not
 * compile, and keys are never written by hand.
 *
 * State is committed to libSQL first, then the job is enqueued under its fixed key; a lost enqueue is
 * healed by the reconciler, so callers never roll back (docs/ARCHITECTURE.md, "Commit, then enqueue").
 */
import type { z } from 'zod';
import {
  agentDeprovisionSpec,
  agentMoveSpec,
  agentProvisionSpec,
  agentReconcileSpec,
  agentRestartSpec,
  agentStopSpec,
  type JobRequester,
} from './contract/agent-jobs';
import { agentLogsSpec } from './contract/agent-logs';
import { hostsPollSpec, quotaCheckSpec, reconcileAllSpec, usageRollupSpec } from './contract/cron-jobs';
import { hostEvacuateSpec } from './contract/host-evacuate';
import { idpSyncSpec } from './contract/idp-sync';
import type { AnyJobSpec, JobRequestOf } from './contract/job-spec';
import { mailSendSpec } from './contract/mail-send';
import { rolloutAdvanceSpec } from './contract/rollout-advance';

export {
  type AgentPayload,
  agentDeprovisionSpec,
  agentJobKey,
  agentMoveSpec,
  agentPayload,
  agentProvisionSpec,
  agentQueueName,
  agentReconcileSpec,
  agentRestartSpec,
  agentStopSpec,
  type JobRequester,
} from './contract/agent-jobs';
export { agentLogsSpec, MAX_AGENT_LOG_TAIL } from './contract/agent-logs';
export {
  cronPayload,
  hostPollRounds,
  hostsPollSpec,
  quotaCheckSpec,
  reconcileAllSpec,
  usageRollupSpec,
} from './contract/cron-jobs';
export { hostEvacuateSpec } from './contract/host-evacuate';
export { idpSyncSpec } from './contract/idp-sync';
export { type AnyJobSpec, defineJobSpec, type JobRequestOf, type JobSpec } from './contract/job-spec';
export { mailSendSpec } from './contract/mail-send';
export { rolloutAdvanceSpec } from './contract/rollout-advance';

/** Every job the product runs, as the portal sees it. The worker's `allJobs` gives each a handler. */
export const jobSpecList = [
  agentProvisionSpec,
  agentRestartSpec,
  agentStopSpec,
  agentDeprovisionSpec,
  agentReconcileSpec,
  agentLogsSpec,
  agentMoveSpec,
  hostEvacuateSpec,
  hostsPollSpec,
  idpSyncSpec,
  mailSendSpec,
  reconcileAllSpec,
  usageRollupSpec,
  quotaCheckSpec,
  rolloutAdvanceSpec,
] as const;

export type JobName = (typeof jobSpecList)[number]['name'];

/** A request for one job: name, payload and key of one spec, checked against each other by the compiler. */
export type JobRequest = JobRequestOf<(typeof jobSpecList)[number]>;

export type Enqueue = (jobs: JobRequest[]) => Promise<void>;

/** A typed request for one job; the key is the spec's, so callers cannot get it wrong. */
export function jobRequest<TSpec extends AnyJobSpec>(
  spec: TSpec,
  payload: z.input<TSpec['payload']>,
): JobRequestOf<TSpec> {
  const key = spec.key(payload as z.output<TSpec['payload']>);
  if (key === null) throw new Error(`${spec.name} has no job key; a job request needs one`);
  return { name: spec.name, payload, key } as JobRequestOf<TSpec>;
}

export interface AgentJobOptions {
  /** An admin's retry of a failed run: continue that run from its failed step. */
  retryRunId?: string;
  requestedBy?: JobRequester;
  /** A new image: start a run of its own rather than continue an unfinished one. */
  newRun?: boolean;
}

/** Bring the agent to its desired state (provision, stop or deprovision, as needed). */
export function reconcileAgent(agentId: string, options: AgentJobOptions = {}) {
  return jobRequest(agentReconcileSpec, { agentId, ...options });
}

/**
 * Provision the agent again although it may already run: its environment variables changed, or its
 * image did (a rollout, its rollback, an image change of the person). Only a provision delivers either:
 * the script recreates the container (keeping its data), or restarts the process, when they differ.
 */
export function provisionAgent(agentId: string, options: AgentJobOptions = {}) {
  return jobRequest(agentProvisionSpec, { agentId, ...options });
}

/** Move a rollout on: record outcomes, send the next batch, stop or finish it. */
export function advanceRollout(rolloutId: string) {
  return jobRequest(rolloutAdvanceSpec, { rolloutId });
}

/** Restart a running agent (the person's restart button, or the retry of a failed restart). */
export function restartAgent(agentId: string, options: AgentJobOptions = {}) {
  return jobRequest(agentRestartSpec, { agentId, ...options });
}

/** Read an agent's last output lines into `agent_log_reads` row `readId` (docs/ARCHITECTURE.md, "Agent logs"). */
export function readAgentLogs(
  readId: string,
  agentId: string,
  query: { tail: number; since: string | null },
) {
  return jobRequest(agentLogsSpec, { readId, agentId, ...query });
}

/** Move the agent to the host its `move_to_host_id` names. */
export function moveAgent(agentId: string, options: AgentJobOptions = {}) {
  return jobRequest(agentMoveSpec, { agentId, ...options });
}

/** One round of an evacuation: record the batch that ended, start the next. */
export function continueEvacuation(evacuationId: string) {
  return jobRequest(hostEvacuateSpec, { evacuationId });
}

/** Send one outbox row. */
export function sendMail(outboxId: string) {
  return jobRequest(mailSendSpec, { outboxId });
}

/**
 * Write the person's current username, status and agent URL to the identity provider. For a deleted
 * person, `deleted` carries the address to find them by (their row is gone) and the username they had.
 */
export function syncIdentity(personId: string, deleted?: { email: string; username: string | null }) {
  return jobRequest(idpSyncSpec, deleted ? { personId, deleted } : { personId });
}
