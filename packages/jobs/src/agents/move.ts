import { agents } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import type { AgentPayload } from '../contract/agent-jobs';
import type { JobContext } from '../define-job';
import type { AgentRow, HostTransport, JobDeps } from '../deps';
import { isPermanentError, PermanentJobError } from '../errors';
import { evacuationsAfterMove } from '../evacuation';
import type { RunRecorder } from '../run-recorder';
import { type AgentChange, performAgentChange } from './agent-change';
import { loadAgent, setObserved } from './agent-state';
import { copyData, type DataDigest, DEFAULT_MOVE_MAX_BYTES, measureExport } from './data-copy';
import { identityStep } from './identity-step';
import { describeCall, provisionCall, provisionedState, waitForHealth } from './provision';
import { runScript } from './script-call';

export const moveSteps = [
  'stop on source',
  'export data',
  'import on target',
  'provision on target',
  'wait for health',
  'remove from source',
  'update identity provider',
] as const;

/**
 * Where a move stands, from the agent row alone, so a retried job picks up where the last one was:
 * before the switch `host_id` is the source and `move_to_host_id` the target; the switch (once the
 * target runs the agent) makes `host_id` the target and keeps the source in `moved_from_host_id` until
 * the agent is removed there.
 */
export function moveEnds(agent: AgentRow): { source: string; target: string; switched: boolean } | null {
  if (agent.movedFromHostId && agent.hostId) {
    return { source: agent.movedFromHostId, target: agent.hostId, switched: true };
  }
  if (agent.moveToHostId && agent.hostId) {
    return { source: agent.hostId, target: agent.moveToHostId, switched: false };
  }
  return null;
}

/**
 * Moves an agent to another host (docs/ARCHITECTURE.md, "Moves and evacuations"): stopped on its host,
 * its data copied (export-data → the worker's meter → import-data, streamed), provisioned and found
 * healthy on the target, then removed from the source. Every step is safe to run twice. A move that
 * fails for good before the target runs the agent leaves it on its source host, started again if it
 * was meant to run; after that point the agent stays on the target and only the removal is owed.
 */
export function moveChange(agent: AgentRow): AgentChange {
  const running = agent.desiredState === 'running';
  return {
    kind: 'move',
    steps: moveSteps,
    during: 'provisioning',
    after: running ? 'running' : 'stopped',
    perform: (run, initial, context) => performMove(run, initial, context),
  };
}

async function performMove(run: RunRecorder, agent: AgentRow, context: JobContext<JobDeps>): Promise<void> {
  const { deps, signal } = context;
  const ends = moveEnds(agent);
  if (!ends) {
    throw new PermanentJobError('not_provisioned', 'No move is under way for this agent; request it again');
  }
  const timeoutMs = deps.scriptTimeoutMs ?? 120_000;
  const maxBytes = deps.agentMoveMaxBytes ?? DEFAULT_MOVE_MAX_BYTES;
  const running = agent.desiredState === 'running';
  const source = await deps.hosts.hostsFor({ ...agent, hostId: ends.source });
  const target = await deps.hosts.hostsFor({ ...agent, hostId: ends.target });
  const placed = { ...agent, hostId: ends.target };
  let switched = ends.switched;
  const already = (step: { skip(message: string): void }) =>
    step.skip('The agent already runs on the target');

  try {
    await run.step('stop on source', async (step) => {
      if (switched) return already(step);
      await runScript(source, 'stop', [agent.username], step, { signal, timeoutMs });
    });

    // The checksum import-data needs before its first byte; a later attempt measures again (the run's
    // memory of it is gone, and the data it then copies is what it measured).
    let digest: DataDigest | undefined;
    const measure = async (step: { output(text: string): void }) => {
      digest = await measureExport(source, agent.username, { signal, maxBytes });
      step.output(`sha256=${digest.sha256} bytes=${digest.bytes}`);
      return digest;
    };
    await run.step('export data', async (step) => {
      if (switched) return already(step);
      await measure(step);
    });

    await run.step('import on target', async (step) => {
      if (switched) return already(step);
      const expected = digest ?? (await measure(step));
      const image = (await provisionCall(deps, placed)).image ?? '';
      const result = await copyData(source, target, agent.username, expected, image, { signal, maxBytes });
      step.output(result.stderr);
      step.output(result.stdout);
    });

    let provisioned: string | null = null;
    await run.step('provision on target', async (step) => {
      if (switched) return already(step);
      if (!running) return step.skip('The agent is stopped; it starts on the target when it is started');
      const call = await provisionCall(deps, placed);
      step.output(describeCall(call));
      const result = await runScript(target, 'provision', call.args, step, {
        signal,
        timeoutMs,
        ...(call.stdin ? { stdin: call.stdin } : {}),
      });
      provisioned = provisionedState(result.stdout);
    });

    await run.step('wait for health', async (step) => {
      if (switched) return already(step);
      if (!running) return step.skip('The agent is stopped');
      await waitForHealth(target, agent.username, provisioned, step, {
        signal,
        timeoutMs,
        healthChecks: deps.healthChecks,
      });
    });

    if (!switched) {
      // From here on the agent lives on the target: its host changes only now that the target runs it.
      await deps.db
        .update(agents)
        .set({ hostId: ends.target, moveToHostId: null, movedFromHostId: ends.source, updatedAt: new Date() })
        .where(eq(agents.id, agent.id));
      switched = true;
    }
  } catch (error) {
    if (!switched && (isPermanentError(error) || context.job.isLastAttempt)) {
      await giveUp(agent, source, context, running);
    }
    throw error;
  }

  await run.step('remove from source', async (step) => {
    await runScript(source, 'deprovision', [agent.username], step, { signal, timeoutMs });
    await deps.db
      .update(agents)
      .set({ movedFromHostId: null, updatedAt: new Date() })
      .where(eq(agents.id, agent.id));
  });

  // The agent's URL does not change with its host; the step writes the owner's current attributes as
  // every other run does, so the two never disagree.
  await run.step('update identity provider', (step) => identityStep(deps, agent, step, signal));
}

/**
 * A move that failed for good before the switch: the intent is cleared and the agent started again on
 * its source host if it was meant to run. A start that fails here is logged; the run's failure (and the
 * mails it sends) already asks an admin to look.
 */
async function giveUp(
  agent: AgentRow,
  source: HostTransport,
  { deps, signal }: JobContext<JobDeps>,
  running: boolean,
): Promise<void> {
  await deps.db
    .update(agents)
    .set({ moveToHostId: null, updatedAt: new Date() })
    .where(eq(agents.id, agent.id));
  if (!running) return;
  const placed = { ...agent, hostId: agent.hostId ?? '' };
  const result = await provisionCall(deps, placed)
    .then((call) =>
      source.exec('provision', call.args, {
        signal,
        timeoutMs: deps.scriptTimeoutMs ?? 120_000,
        ...(call.stdin ? { stdin: call.stdin } : {}),
      }),
    )
    .catch((error: unknown) => ({ code: -1, stdout: '', stderr: String(error) }));
  if (result.code !== 0) {
    console.warn(`[agent.move] ${agent.username}: could not start it again on its host: ${result.stderr}`);
  }
}

/**
 * The body of `agent.move` (and of `agent.reconcile` for an agent with a move under way): nothing to do
 * when no move is under way (a second job for a move that already finished), else the move as a run.
 * Once the move has ended, for good or ill, the evacuation it belongs to (if any) takes its next step.
 */
export async function runMoveJob(payload: AgentPayload, context: JobContext<JobDeps>): Promise<void> {
  const { db } = context.deps;
  const agent = await loadAgent(db, payload.agentId);
  if (!agent || (!moveEnds(agent) && !payload.retryRunId)) return;
  try {
    await performAgentChange(moveChange(agent), agent, payload, context, (state, tx) =>
      setObserved(tx ?? db, agent.id, state),
    );
  } catch (error) {
    if (isPermanentError(error) || context.job.isLastAttempt)
      await evacuationsAfterMove(context.deps, agent.id);
    throw error;
  }
  await evacuationsAfterMove(context.deps, agent.id);
}
