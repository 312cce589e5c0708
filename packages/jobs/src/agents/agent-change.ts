import type { AgentObservedState, DbOrTx, RunKind } from '@pocket-smyth/db';
import type { JobContext } from '../define-job';
import type { AgentRow, JobDeps } from '../deps';
import { isPermanentError, PermanentJobError } from '../errors';
import { type Requester, RunRecorder } from '../run-recorder';
import { attentionMailsFor } from './attention-mail';

/** One kind of agent change: its steps, in order, and the observed states around it. */
export interface AgentChange {
  kind: RunKind;
  steps: readonly string[];
  /** Observed state while the run is in progress (null: leave as it is). */
  during: AgentObservedState | null;
  /** Observed state once the run succeeded. */
  after: AgentObservedState;
  perform(run: RunRecorder, agent: AgentRow, context: JobContext<JobDeps>): Promise<void>;
}

export interface AgentChangeRequest {
  agentId: string;
  retryRunId?: string;
  requestedBy?: Requester;
  /** A new image: the first attempt supersedes an unfinished run instead of continuing it. */
  newRun?: boolean;
}

/**
 * Picks the run this job works on. An admin's retry names it. Otherwise an unfinished run of the same
 * kind is continued (the previous attempt failed transiently, or the worker died mid-run), so the timeline
 * stays one run; an unfinished run of another kind was overtaken by a newer intent and is cancelled.
 */
async function runFor(
  change: AgentChange,
  agent: AgentRow,
  request: AgentChangeRequest,
  context: JobContext<JobDeps>,
): Promise<RunRecorder> {
  const { db } = context.deps;
  const jobId = context.job.id;
  if (request.retryRunId) {
    const run = await RunRecorder.load(db, request.retryRunId);
    if (!run || run.row.agentId !== agent.id) {
      throw new PermanentJobError('run_not_found', `Run ${request.retryRunId} does not belong to this agent`);
    }
    if (
      run.row.kind === change.kind &&
      (await run.prepareRetry({ requestedBy: request.requestedBy, jobId }))
    ) {
      return run;
    }
    if (run.row.status === 'failed') await run.cancel(`Superseded by a ${change.kind} run`);
  }
  const unfinished = await RunRecorder.findUnfinished(db, agent.id);
  const fresh = request.newRun === true && context.job.attempt === 1;
  if (unfinished?.row.kind === change.kind && !fresh) {
    await unfinished.prepareRetry({ jobId });
    return unfinished;
  }
  if (unfinished) {
    await unfinished.cancel(fresh ? 'Superseded by a new image' : `Superseded by a ${change.kind} run`);
  }
  return RunRecorder.create(db, {
    agentId: agent.id,
    username: agent.username,
    kind: change.kind,
    steps: change.steps,
    requestedBy: request.requestedBy,
    jobId,
  });
}

/**
 * Runs one agent change as a recorded run. A failure is recorded on its step; the run is marked failed
 * when no retry follows (a permanent error, or the last attempt), with the mails that say it needs
 * attention; else it stays running and says it will retry. The error is rethrown so graphile-worker
 * retries (or not) the job.
 */
export async function performAgentChange(
  change: AgentChange,
  agent: AgentRow,
  request: AgentChangeRequest,
  context: JobContext<JobDeps>,
  /** Writes the agent's observed state; given `tx`, inside that transaction (the run's end). */
  setObserved: (state: AgentObservedState, tx?: DbOrTx) => Promise<void>,
): Promise<RunRecorder> {
  const run = await runFor(change, agent, request, context);
  await run.start({ jobId: context.job.id });
  if (change.during) await setObserved(change.during);
  try {
    await change.perform(run, agent, context);
  } catch (error) {
    if (isPermanentError(error) || context.job.isLastAttempt) {
      // No retry follows: the owner and the admins are told, once per failure (see attentionMailsFor).
      const attention = await attentionMailsFor(context.deps, run, agent, error).catch((readError) => {
        console.warn(`[attention-mail] run ${run.id}: nobody can be told of this failure`, readError);
        return null;
      });
      // The run's end and the agent's state commit together: the card and the timeline never disagree.
      await run.fail(error, async (tx) => {
        await attention?.record(tx);
        await setObserved('failed', tx);
      });
      await attention?.send();
    } else {
      await run.retryLater(error, `attempt ${context.job.attempt} of ${context.job.maxAttempts}; will retry`);
    }
    throw error;
  }
  await run.succeed((tx) => setObserved(change.after, tx));
  return run;
}
