export {
  agentUrlFor,
  dashboardUrlFor,
  InvalidEnvError,
  parseWorkerEnv,
  portalUrlFor,
  type WorkerEnv,
  workerEnvFragments,
  workerEnvSchema,
} from './env';
export {
  createWorkerHosts,
  ensureDefaultHost,
  type HostsAdapterOptions,
  hostConfigOf,
  NoHostCapacityError,
  parseKeyRef,
  type WorkerHosts,
} from './hosts-adapter';
export { createJobDeps, type JobDepsParts } from './job-deps';
export { type ShutdownOptions, stopOnSignals } from './shutdown';
export { startWorkerProcess, type WorkerProcess } from './start-worker';
