import {
  agents,
  type Db,
  type DbOrTx,
  plans,
  type RolloutAgentStatus,
  type RolloutStatus,
  rolloutAgentStatuses,
  rolloutAgents,
  rollouts,
  timeOrderedId,
  users,
} from '@pocket-smyth/db';
import { advanceRollout, type JobRequest, provisionAgent } from '@pocket-smyth/jobs/contract';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { defaultAgentImage, refuseDuringRollout, writeDefaultAgentImage } from './agent-images';
import { recordAudit } from './audit';
import { conflict, notFound } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import { type ChangeDeps, requesterOf } from './ports';

/**
 * Rollouts (docs/ARCHITECTURE.md, "Images and rollouts"): an admin moves every running agent to a new
 * image, `batchSize` at a time, each batch waiting for health before the next; the worker's
 * `rollout.advance` does the moving and stops the rollout by itself past its failure threshold. Here
 * are the admin's acts: start, pause, resume, roll back, each one transaction with its audit event,
 * then the advance job.
 */

export type RolloutRow = typeof rollouts.$inferSelect;
export type RolloutAgentRow = typeof rolloutAgents.$inferSelect;
export type RolloutCounts = Record<RolloutAgentStatus, number>;
export type RolloutSummary = RolloutRow & { counts: RolloutCounts; total: number };

export interface StartRolloutInput {
  image: string;
  batchSize: number;
  failureThresholdPercent: number;
}

function audit(
  tx: DbOrTx,
  deps: ChangeDeps,
  rollout: RolloutRow,
  action: string,
  after?: Record<string, unknown>,
) {
  return recordAudit(tx, deps, {
    action,
    target: { kind: 'rollout', id: rollout.id, label: rollout.toImage },
    before: { status: rollout.status },
    after: after ?? null,
  });
}

/**
 * Starts a rollout to `image`: it becomes the default at once (new agents and later starts take it),
 * and every agent that is running, has no image of its own or of its owner's plan and does not run
 * `image` already joins it, in username order, holding its current image until its batch comes.
 * Refused while another rollout is moving agents; an older one's agents not yet reached are left to
 * this one.
 */
export async function startRollout(
  db: Db,
  deps: ChangeDeps,
  input: StartRolloutInput,
): Promise<RolloutSummary> {
  const { rollout, jobs } = await db.transaction(async (tx) => {
    await refuseDuringRollout(tx, 'start another');
    const from = (await defaultAgentImage(tx)).image;
    // An agent whose owner's plan names an image follows that image, not the default, as one with an
    // override does.
    const members = await tx
      .select({ id: agents.id, username: agents.username, runningImage: agents.runningImage })
      .from(agents)
      .leftJoin(users, eq(users.id, agents.userId))
      .leftJoin(plans, eq(plans.id, users.planId))
      .where(
        and(
          eq(agents.desiredState, 'running'),
          eq(agents.observedState, 'running'),
          isNull(agents.imageOverride),
          isNull(plans.agentImage),
          sql`${agents.runningImage} is not ${input.image}`,
        ),
      )
      .orderBy(asc(agents.username));
    const now = new Date();
    const id = timeOrderedId(now.getTime());
    const empty = members.length === 0;
    const [row] = await tx
      .insert(rollouts)
      .values({
        id,
        fromImage: from,
        toImage: input.image,
        batchSize: input.batchSize,
        failureThresholdPercent: input.failureThresholdPercent,
        status: empty ? 'completed' : 'running',
        createdById: deps.actor.personId,
        createdByLabel: deps.actor.label,
        createdAt: now,
        updatedAt: now,
        endedAt: empty ? now : null,
      })
      .returning();
    // Agents an earlier (stopped) rollout never reached are this one's now.
    await tx
      .update(rolloutAgents)
      .set({ status: 'skipped', endedAt: now, error: `Left to the rollout to ${input.image}` })
      .where(eq(rolloutAgents.status, 'pending'));
    if (!empty) {
      await tx.insert(rolloutAgents).values(
        members.map((agent, position) => ({
          rolloutId: id,
          agentId: agent.id,
          username: agent.username,
          position,
          previousImage: agent.runningImage ?? from,
        })),
      );
    }
    await writeDefaultAgentImage(tx, input.image, deps.actor.personId);
    await audit(tx, deps, row!, 'rollout.started', {
      fromImage: from,
      toImage: input.image,
      batchSize: input.batchSize,
      failureThresholdPercent: input.failureThresholdPercent,
      agents: members.length,
    });
    return { rollout: row!, jobs: empty ? [] : [advanceRollout(id)] };
  });
  await enqueueAfterCommit(deps, jobs);
  return getRollout(db, rollout.id);
}

/** Moves the rollout between two statuses, guarded by the one it is in; 409 naming the one it is in. */
async function transition(
  tx: DbOrTx,
  rolloutId: string,
  from: readonly RolloutStatus[],
  to: RolloutStatus,
  what: string,
): Promise<RolloutRow> {
  const [current] = await tx.select().from(rollouts).where(eq(rollouts.id, rolloutId));
  if (!current) throw notFound('Rollout');
  if (!from.includes(current.status)) {
    throw conflict(`The rollout is ${current.status.replace('_', ' ')}; it cannot be ${what}.`, {
      status: current.status,
    });
  }
  const now = new Date();
  const ended = to === 'rolled_back';
  await tx
    .update(rollouts)
    .set({
      status: to,
      updatedAt: now,
      ...(ended ? { endedAt: now } : { endedAt: null, statusReason: null }),
    })
    .where(and(eq(rollouts.id, rolloutId), eq(rollouts.status, current.status)));
  return current;
}

/** No new batch goes out; the agents of the batch in flight finish and are recorded. */
export async function pauseRollout(db: Db, deps: ChangeDeps, rolloutId: string): Promise<RolloutSummary> {
  await db.transaction(async (tx) => {
    const before = await transition(tx, rolloutId, ['running'], 'paused', 'paused');
    await audit(tx, deps, before, 'rollout.paused', { status: 'paused' });
  });
  return getRollout(db, rolloutId);
}

/** Batches go out again, from where it paused. */
export async function resumeRollout(db: Db, deps: ChangeDeps, rolloutId: string): Promise<RolloutSummary> {
  await db.transaction(async (tx) => {
    const before = await transition(tx, rolloutId, ['paused'], 'running', 'resumed');
    await audit(tx, deps, before, 'rollout.resumed', { status: 'running' });
  });
  await enqueueAfterCommit(deps, [advanceRollout(rolloutId)]);
  return getRollout(db, rolloutId);
}

/**
 * Puts every agent the rollout changed (or was changing) back on the image it ran before, the failed
 * ones first, all at once (a rollback is a repair, not an experiment), and the default image back to
 * the rollout's `from`. Agents it never reached keep theirs. Only the newest rollout can be rolled
 * back: an older one's agents may have moved on since.
 */
export async function rollbackRollout(db: Db, deps: ChangeDeps, rolloutId: string): Promise<RolloutSummary> {
  const jobs = await db.transaction(async (tx) => {
    const [newest] = await tx.select({ id: rollouts.id }).from(rollouts).orderBy(desc(rollouts.id)).limit(1);
    if (newest && newest.id !== rolloutId) {
      const [exists] = await tx.select({ id: rollouts.id }).from(rollouts).where(eq(rollouts.id, rolloutId));
      if (!exists) throw notFound('Rollout');
      throw conflict('Only the newest rollout can be rolled back.', { newestRolloutId: newest.id });
    }
    const before = await transition(
      tx,
      rolloutId,
      ['running', 'paused', 'stopped_failed', 'completed'],
      'rolling_back',
      'rolled back',
    );
    const now = new Date();
    const changed = await tx
      .select({
        agentId: rolloutAgents.agentId,
        status: rolloutAgents.status,
        desiredState: agents.desiredState,
      })
      .from(rolloutAgents)
      .innerJoin(agents, eq(agents.id, rolloutAgents.agentId))
      .where(
        and(
          eq(rolloutAgents.rolloutId, rolloutId),
          inArray(rolloutAgents.status, ['in_progress', 'succeeded', 'failed']),
        ),
      )
      .orderBy(asc(rolloutAgents.position));
    const failedFirst = [
      ...changed.filter((row) => row.status === 'failed'),
      ...changed.filter((row) => row.status !== 'failed'),
    ];
    const back = failedFirst.filter((row) => row.desiredState === 'running').map((row) => row.agentId);
    const idle = failedFirst.filter((row) => row.desiredState !== 'running').map((row) => row.agentId);
    if (back.length > 0) {
      await tx
        .update(rolloutAgents)
        .set({ status: 'rolling_back', startedAt: now, endedAt: null, error: null })
        .where(and(eq(rolloutAgents.rolloutId, rolloutId), inArray(rolloutAgents.agentId, back)));
    }
    if (idle.length > 0) {
      await tx
        .update(rolloutAgents)
        .set({
          status: 'rolled_back',
          endedAt: now,
          error: 'Not running: it takes its previous image at its next start',
        })
        .where(and(eq(rolloutAgents.rolloutId, rolloutId), inArray(rolloutAgents.agentId, idle)));
    }
    await tx
      .update(rolloutAgents)
      .set({
        status: 'skipped',
        endedAt: now,
        error: 'The rollout was rolled back before it reached this agent',
      })
      .where(and(eq(rolloutAgents.rolloutId, rolloutId), eq(rolloutAgents.status, 'pending')));
    if (back.length === 0) {
      await tx
        .update(rollouts)
        .set({ status: 'rolled_back', endedAt: now })
        .where(eq(rollouts.id, rolloutId));
    }
    await writeDefaultAgentImage(tx, before.fromImage, deps.actor.personId);
    await audit(tx, deps, before, 'rollout.rolled_back', {
      status: back.length === 0 ? 'rolled_back' : 'rolling_back',
      defaultImage: before.fromImage,
      agents: back.length,
    });
    const requests: JobRequest[] = back.map((agentId) =>
      provisionAgent(agentId, { newRun: true, requestedBy: requesterOf(deps) }),
    );
    if (back.length > 0) requests.push(advanceRollout(rolloutId));
    return requests;
  });
  await enqueueAfterCommit(deps, jobs);
  return getRollout(db, rolloutId);
}

function emptyCounts(): RolloutCounts {
  return Object.fromEntries(rolloutAgentStatuses.map((status) => [status, 0])) as RolloutCounts;
}

async function countsByRollout(db: DbOrTx, ids: readonly string[]): Promise<Map<string, RolloutCounts>> {
  const byRollout = new Map<string, RolloutCounts>(ids.map((id) => [id, emptyCounts()]));
  if (ids.length === 0) return byRollout;
  const rows = await db
    .select({ rolloutId: rolloutAgents.rolloutId, status: rolloutAgents.status, n: sql<number>`count(*)` })
    .from(rolloutAgents)
    .where(inArray(rolloutAgents.rolloutId, [...ids]))
    .groupBy(rolloutAgents.rolloutId, rolloutAgents.status);
  for (const row of rows) byRollout.get(row.rolloutId)![row.status] = Number(row.n);
  return byRollout;
}

const summarize = (row: RolloutRow, counts: RolloutCounts): RolloutSummary => ({
  ...row,
  counts,
  total: Object.values(counts).reduce((sum, n) => sum + n, 0),
});

/** The newest rollouts first, with their agents counted by status. */
export async function listRollouts(db: DbOrTx, limit = 50): Promise<RolloutSummary[]> {
  const rows = await db.select().from(rollouts).orderBy(desc(rollouts.id)).limit(limit);
  const counts = await countsByRollout(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => summarize(row, counts.get(row.id)!));
}

export async function getRollout(db: DbOrTx, rolloutId: string): Promise<RolloutSummary> {
  const [row] = await db.select().from(rollouts).where(eq(rollouts.id, rolloutId));
  if (!row) throw notFound('Rollout');
  const counts = await countsByRollout(db, [row.id]);
  return summarize(row, counts.get(row.id)!);
}

/**
 * The rollout's agents in batch order, with how each went, the run that moved it and its owner (the
 * admin's person page shows that run).
 */
export async function rolloutAgentsOf(
  db: DbOrTx,
  rolloutId: string,
): Promise<(RolloutAgentRow & { personId: string | null })[]> {
  const rows = await db
    .select({ member: rolloutAgents, personId: agents.userId })
    .from(rolloutAgents)
    .leftJoin(agents, eq(agents.id, rolloutAgents.agentId))
    .where(eq(rolloutAgents.rolloutId, rolloutId))
    .orderBy(asc(rolloutAgents.position));
  return rows.map((row) => ({ ...row.member, personId: row.personId }));
}
