import type { AnyJobDefinition } from './define-job';
import type { JobDeps } from './deps';
import { agentDeprovision } from './jobs/agent-deprovision';
import { agentProvision } from './jobs/agent-provision';
import { agentReconcile } from './jobs/agent-reconcile';
import { agentRestart } from './jobs/agent-restart';
import { agentStop } from './jobs/agent-stop';
import { hostsPoll } from './jobs/hosts-poll';
import { idpSync } from './jobs/idp-sync';
import { mailSend } from './jobs/mail-send';
import { reconcileAll } from './jobs/reconcile-all';

/** Every job the product runs; the worker's task list and the API's enqueue are both built from it. */
export const allJobs = [
  agentProvision,
  agentRestart,
  agentStop,
  agentDeprovision,
  agentReconcile,
  hostsPoll,
  idpSync,
  mailSend,
  reconcileAll,
] as const satisfies readonly AnyJobDefinition<JobDeps>[];

export type JobName = (typeof allJobs)[number]['name'];
