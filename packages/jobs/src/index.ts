export { type AgentChange, performAgentChange } from './agents/agent-change';
export { type AgentPayload, agentPayload } from './agents/agent-payload';
export { plannedChange } from './agents/plan';
export { ScriptFailedError } from './agents/script-call';
export { allJobs, type JobName } from './all-jobs';
export { agentJobKey, agentQueueName } from './contract';
export { cronPayload } from './cron-payload';
export { cronItems, parsedCrontab } from './crontab';
export {
  type AnyJobDefinition,
  defineJob,
  type JobContext,
  type JobDefinition,
  type PayloadOf,
} from './define-job';
export type {
  AdminAttentionMail,
  AgentHosts,
  AgentRow,
  ApprovalMail,
  AttentionMail,
  CallOptions,
  FailedRunSummary,
  HostTransport,
  IdentityAttributes,
  IdentityProvider,
  JobDeps,
  JobMail,
  MailOutbox,
  PlacedAgent,
  ScriptResult,
} from './deps';
export { type CreateEnqueueOptions, createEnqueue, type JobEnqueuer, jobRequest, jobSpecs } from './enqueue';
export { errorClassOf, errorMessageOf, isPermanentError, PermanentJobError } from './errors';
export { jobsInFlight } from './queue-state';
export { quietLogger, silentLogger } from './quiet-logger';
export { findDriftedAgents, type ReconcileDeps, type ReconcileResult, reconcileAgents } from './reconciler';
export {
  appendToTail,
  type NewRun,
  outputTailChars,
  outputTailLines,
  type Requester,
  RunRecorder,
  type RunRow,
  type StepHandle,
  type StepRow,
} from './run-recorder';
export { createTaskList, type TaskListOptions } from './task-list';
export { type JobWorker, type JobWorkerOptions, startJobWorker } from './worker';
export {
  ensureLivenessTable,
  type LivenessOptions,
  type ReleaseOptions,
  releaseJobsOfDeadPools,
  trackPoolLiveness,
} from './worker-liveness';
