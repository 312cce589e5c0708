/**
 * A job the API asks the worker to run. SPEC §3: state is committed to libSQL first, then the job is
 * enqueued under a fixed key; a lost enqueue is healed by the reconciler, so callers never roll back.
 */
export interface JobRequest {
  name: string;
  payload: Record<string, unknown>;
  /** Jobs with the same key collapse into one (graphile-worker job_key). */
  key: string;
}

export type Enqueue = (jobs: JobRequest[]) => Promise<void>;

export function agentJob(agentId: string): JobRequest {
  return { name: 'agent.reconcile', payload: { agentId }, key: `agent:provision:${agentId}` };
}
