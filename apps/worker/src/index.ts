export { agentUrlFor, parseWorkerEnv, type WorkerEnv } from './env';
export { createJobDeps, type JobDepsParts } from './job-deps';
export { type ShutdownOptions, stopOnSignals } from './shutdown';
export { startWorkerProcess, type WorkerProcess } from './start-worker';
