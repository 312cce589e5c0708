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
import { hostsPollSpec, reconcileAllSpec } from './contract/cron-jobs';
import { hostEvacuateSpec } from './contract/host-evacuate';
import { idpSyncSpec } from './contract/idp-sync';
import type { AnyJobSpec, JobRequestOf } from './contract/job-spec';
import { mailSendSpec } from './contract/mail-send';

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
export { cronPayload, hostPollRounds, hostsPollSpec, reconcileAllSpec } from './contract/cron-jobs';
export { hostEvacuateSpec } from './contract/host-evacuate';
export { idpSyncSpec } from './contract/idp-sync';
export { type AnyJobSpec, defineJobSpec, type JobRequestOf, type JobSpec } from './contract/job-spec';
export { mailSendSpec } from './contract/mail-send';

/** Every job the product runs, as the portal sees it. The worker's `allJobs` gives each a handler. */
export const jobSpecList = [
  agentProvisionSpec,
  agentRestartSpec,
  agentStopSpec,
  agentDeprovisionSpec,
  agentReconcileSpec,
  agentMoveSpec,
  hostEvacuateSpec,
  hostsPollSpec,
  idpSyncSpec,
  mailSendSpec,
  reconcileAllSpec,
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
}

/** Bring the agent to its desired state (provision, stop or deprovision, as needed). */
export function reconcileAgent(agentId: string, options: AgentJobOptions = {}) {
  return jobRequest(agentReconcileSpec, { agentId, ...options });
}

/** Restart a running agent (the person's restart button, or the retry of a failed restart). */
export function restartAgent(agentId: string, options: AgentJobOptions = {}) {
  return jobRequest(agentRestartSpec, { agentId, ...options });
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
