import { actorKinds } from '@pocket-smyth/db/schema';
import { z } from 'zod';
import { defineJobSpec } from './job-spec';

/**
 * Every job about one agent shares this key: a newer request replaces a waiting one, so an agent has
 * at most one job queued.
 */
export function agentJobKey(agentId: string): `agent:provision:${string}` {
  return `agent:provision:${agentId}`;
}

/** Jobs for one agent run one at a time: a provision and a stop must never overlap on a host. */
export function agentQueueName(agentId: string): `agent:${string}` {
  return `agent:${agentId}`;
}

/** The payload of every agent job. Only the id travels: handlers read the agent's state when they run. */
export const agentPayload = z.object({
  agentId: z.string().min(1).max(64),
  /** An admin's retry of a failed run: continue that run from its failed step. */
  retryRunId: z.string().min(1).max(64).optional(),
  requestedBy: z
    .object({ kind: z.enum(actorKinds), id: z.string().nullable(), label: z.string().nullable() })
    .optional(),
  /**
   * A new image (a rollout or its rollback): the first attempt starts a run of its own, superseding an
   * unfinished one, whose retry would skip the provision script that applies the image.
   */
  newRun: z.boolean().optional(),
});

export type AgentPayload = z.infer<typeof agentPayload>;

/** Who asked for an agent job, as its run records it. */
export type JobRequester = NonNullable<AgentPayload['requestedBy']>;

const agentJob = {
  payload: agentPayload,
  key: (payload: AgentPayload) => agentJobKey(payload.agentId),
  queue: (payload: AgentPayload) => agentQueueName(payload.agentId),
  // Host unreachable, Graph 5xx, mail 5xx retry with graphile's exponential backoff (e^n seconds):
  // ten attempts span about an hour and a half before the run is marked failed.
  maxAttempts: 10,
} as const;

/** Brings an agent up (or back up) on its host. */
export const agentProvisionSpec = defineJobSpec({ name: 'agent.provision', ...agentJob });
/** Restarts an agent: the person's restart button. */
export const agentRestartSpec = defineJobSpec({ name: 'agent.restart', ...agentJob });
/** Stops an agent and keeps its data: revocation. */
export const agentStopSpec = defineJobSpec({ name: 'agent.stop', ...agentJob });
/** Removes an agent and its data: deletion. */
export const agentDeprovisionSpec = defineJobSpec({ name: 'agent.deprovision', ...agentJob });
/**
 * What the portal enqueues after every change to an agent's desired state: read desired vs observed
 * when it runs, and provision, stop or deprovision accordingly.
 */
export const agentReconcileSpec = defineJobSpec({ name: 'agent.reconcile', ...agentJob });
/**
 * Moves an agent to the host in its `move_to_host_id` (an admin's move, or an evacuation's): the same
 * key and queue as every job of the agent, so a move never overlaps a provision or a stop.
 */
export const agentMoveSpec = defineJobSpec({ name: 'agent.move', ...agentJob });
