export { type AgentChange, performAgentChange } from './agents/agent-change';
export { plannedChange } from './agents/plan';
export { ScriptFailedError } from './agents/script-call';
export { allJobs } from './all-jobs';
export {
  type AgentJobOptions,
  type AgentPayload,
  type AnyJobSpec,
  advanceRollout,
  agentDeprovisionSpec,
  agentJobKey,
  agentLogsSpec,
  agentMoveSpec,
  agentPayload,
  agentProvisionSpec,
  agentQueueName,
  agentReconcileSpec,
  agentRestartSpec,
  agentStopSpec,
  continueEvacuation,
  cronPayload,
  defineJobSpec,
  type Enqueue,
  hostEvacuateSpec,
  hostsPollSpec,
  idpSyncSpec,
  type JobName,
  type JobRequest,
  type JobRequester,
  type JobRequestOf,
  type JobSpec,
  jobRequest,
  jobSpecList,
  MAX_AGENT_LOG_TAIL,
  mailSendSpec,
  moveAgent,
  provisionAgent,
  quotaCheckSpec,
  readAgentLogs,
  reconcileAgent,
  reconcileAllSpec,
  restartAgent,
  rolloutAdvanceSpec,
  sendMail,
  syncIdentity,
  usageRollupSpec,
} from './contract';
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
  AgentLimits,
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
export {
  type CreateEnqueueOptions,
  createEnqueue,
  type JobEnqueuer,
  jobSpecs,
  type UncheckedJobRequest,
} from './enqueue';
export { errorClassOf, errorMessageOf, isPermanentError, PermanentJobError } from './errors';
export { currentIdentity, writeCurrentIdentity } from './identity';
export { jobsInFlight } from './queue-state';
export { quietLogger, silentLogger } from './quiet-logger';
export {
  findDriftedAgents,
  findPendingRestarts,
  findUnsentMail,
  lostEnqueueGraceMs,
  mailHealWindowMs,
  type ReconcileAllResult,
  type ReconcileDeps,
  type ReconcileOptions,
  type ReconcileResult,
  reconcileAgents,
  reconcileAll,
  reconcileEnvChanges,
  reconcileOutbox,
  reconcileRestarts,
} from './reconciler';
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
  newestWorkerBeatAgeMs,
  type ReleaseOptions,
  releaseJobsOfDeadPools,
  trackPoolLiveness,
  workerBeatingOn,
} from './worker-liveness';
