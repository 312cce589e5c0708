import type { JobName } from './contract';
import type { AnyJobDefinition } from './define-job';
import type { JobDeps } from './deps';
import { agentDeprovision } from './jobs/agent-deprovision';
import { agentLogs } from './jobs/agent-logs';
import { agentMove } from './jobs/agent-move';
import { agentProvision } from './jobs/agent-provision';
import { agentReconcile } from './jobs/agent-reconcile';
import { agentRestart } from './jobs/agent-restart';
import { agentStop } from './jobs/agent-stop';
import { hostEvacuate } from './jobs/host-evacuate';
import { hostsPoll } from './jobs/hosts-poll';
import { idpSync } from './jobs/idp-sync';
import { mailSend } from './jobs/mail-send';
import { quotaCheck } from './jobs/quota-check';
import { reconcileAll } from './jobs/reconcile-all';
import { rolloutAdvance } from './jobs/rollout-advance';
import { usageRollup } from './jobs/usage-rollup';

/**
 * The handler of every job of the contract, by name: a spec without a handler, a handler without a
 * spec, or a handler filed under another job's name does not compile.
 */
const jobsByName = {
  'agent.provision': agentProvision,
  'agent.restart': agentRestart,
  'agent.stop': agentStop,
  'agent.deprovision': agentDeprovision,
  'agent.reconcile': agentReconcile,
  'agent.logs': agentLogs,
  'agent.move': agentMove,
  'host.evacuate': hostEvacuate,
  'hosts.poll': hostsPoll,
  'idp.sync': idpSync,
  'mail.send': mailSend,
  'reconcile.all': reconcileAll,
  'usage.rollup': usageRollup,
  'quota.check': quotaCheck,
  'rollout.advance': rolloutAdvance,
} as const satisfies { readonly [TName in JobName]: AnyJobDefinition<JobDeps> & { readonly name: TName } };

/** Every job the product runs; the worker's task list and the enqueue's checks are both built from it. */
export const allJobs = Object.values(jobsByName);

export type { JobName };
