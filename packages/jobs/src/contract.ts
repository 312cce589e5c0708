/**
 * The job contract: what the portal may ask the worker to do, with no graphile-worker import, so the
 * web app and packages/core can enqueue without pulling the queue's runtime in.
 *
 * State is committed to libSQL first, then the job is enqueued under a fixed key; a lost enqueue is
 * healed by the reconciler, so callers never roll back (docs/ARCHITECTURE.md, "Commit, then enqueue").
 */
export interface JobRequest {
  name: string;
  payload: Record<string, unknown>;
  /** Jobs with the same key collapse into one (graphile-worker job_key). */
  key: string;
}

export type Enqueue = (jobs: JobRequest[]) => Promise<void>;

/**
 * Every job about one agent shares this key: a newer request replaces a waiting one, so an agent has
 * at most one job queued.
 */
export function agentJobKey(agentId: string): string {
  return `agent:provision:${agentId}`;
}

/** Jobs for one agent run one at a time: a provision and a stop must never overlap on a host. */
export function agentQueueName(agentId: string): string {
  return `agent:${agentId}`;
}

/** Who asked for an agent job, as its run records it. */
export interface JobRequester {
  kind: 'person' | 'token' | 'system';
  id: string | null;
  label: string | null;
}

export interface AgentJobOptions {
  /** An admin's retry of a failed run: continue that run from its failed step. */
  retryRunId?: string;
  requestedBy?: JobRequester;
}

function agentRequest(name: string, agentId: string, options: AgentJobOptions): JobRequest {
  return { name, payload: { agentId, ...options }, key: agentJobKey(agentId) };
}

/** Bring the agent to its desired state (provision, stop or deprovision, as needed). */
export function reconcileAgent(agentId: string, options: AgentJobOptions = {}): JobRequest {
  return agentRequest('agent.reconcile', agentId, options);
}

/** Restart a running agent (the person's restart button, or the retry of a failed restart). */
export function restartAgent(agentId: string, options: AgentJobOptions = {}): JobRequest {
  return agentRequest('agent.restart', agentId, options);
}

/** Send one outbox row. */
export function sendMail(outboxId: string): JobRequest {
  return { name: 'mail.send', payload: { outboxId }, key: `mail:${outboxId}` };
}
