import {
  agents,
  auditEvents,
  type Db,
  type DbOrTx,
  type RolloutAgentStatus,
  type RolloutStatus,
  rolloutAgents,
  rollouts,
  timeOrderedId,
} from '@pocket-smyth/db';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { advanceRollout, agentJobKey, type JobRequest, provisionAgent } from '../contract';
import type { JobDeps } from '../deps';
import { provisionOutcome } from './outcome';

type RolloutRow = typeof rollouts.$inferSelect;
type RolloutAgentRow = typeof rolloutAgents.$inferSelect;

/** A provision sent this long ago whose run never appeared, with no job in flight, is sent again. */
export const lostProvisionGraceMs = 2 * 60_000;

/** The rollout's own events in the activity log, by the system (the admin's are written by core). */
async function recordRolloutEvent(
  tx: DbOrTx,
  rollout: RolloutRow,
  action: string,
  after: Record<string, unknown>,
): Promise<void> {
  const at = new Date();
  await tx.insert(auditEvents).values({
    id: timeOrderedId(at.getTime()),
    at,
    actorKind: 'system',
    actorId: null,
    actorLabel: 'system',
    action,
    targetKind: 'rollout',
    targetId: rollout.id,
    targetLabel: rollout.toImage,
    before: null,
    after,
    requestId: null,
    ip: null,
  });
}

/** Moves the rollout from `from` to `to` (guarded, so two advances cannot both do it), with its event. */
async function endRollout(
  db: Db,
  rollout: RolloutRow,
  to: RolloutStatus,
  action: string,
  details: Record<string, unknown>,
  reason: string | null = null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const now = new Date();
    const moved = await tx
      .update(rollouts)
      .set({ status: to, statusReason: reason, updatedAt: now, endedAt: now })
      .where(and(eq(rollouts.id, rollout.id), eq(rollouts.status, rollout.status)))
      .returning({ id: rollouts.id });
    if (moved.length > 0) await recordRolloutEvent(tx, rollout, action, details);
  });
}

/** The provision request of one rollout agent: a run of its own, requested by the rollout's admin. */
function provisionFor(rollout: RolloutRow, agentId: string): JobRequest {
  return provisionAgent(agentId, {
    newRun: true,
    requestedBy: rollout.createdById
      ? { kind: 'person', id: rollout.createdById, label: rollout.createdByLabel }
      : { kind: 'system', id: null, label: 'rollout' },
  });
}

/**
 * Records how the provisions sent for `rows` went: in_progress → succeeded | failed | skipped,
 * rolling_back → rolled_back | rollback_failed | skipped. A provision whose run never appeared and whose
 * job is gone (a lost enqueue) is sent again. Each update is guarded by the status it read.
 */
async function recordOutcomes(
  deps: RolloutDeps,
  rollout: RolloutRow,
  rows: RolloutAgentRow[],
): Promise<void> {
  const resend: JobRequest[] = [];
  const stale: RolloutAgentRow[] = [];
  for (const row of rows) {
    const since = row.startedAt ?? new Date(0);
    const outcome = await provisionOutcome(deps.db, row.agentId, since);
    if (outcome.state === 'waiting') {
      if (outcome.runId === null && since.getTime() < Date.now() - lostProvisionGraceMs) stale.push(row);
      continue;
    }
    const back = row.status === 'rolling_back';
    const status: RolloutAgentStatus =
      outcome.state === 'succeeded'
        ? back
          ? 'rolled_back'
          : 'succeeded'
        : outcome.state === 'cancelled'
          ? 'skipped'
          : back
            ? 'rollback_failed'
            : 'failed';
    await deps.db
      .update(rolloutAgents)
      .set({
        status,
        runId: outcome.runId,
        endedAt: new Date(),
        error: outcome.state === 'succeeded' ? null : outcome.error,
      })
      .where(
        and(
          eq(rolloutAgents.rolloutId, rollout.id),
          eq(rolloutAgents.agentId, row.agentId),
          eq(rolloutAgents.status, row.status),
        ),
      );
  }
  if (stale.length > 0) {
    const inFlight = await deps.jobsInFlight(stale.map((row) => agentJobKey(row.agentId)));
    for (const row of stale)
      if (!inFlight.has(agentJobKey(row.agentId))) resend.push(provisionFor(rollout, row.agentId));
    if (resend.length > 0) await deps.enqueue(resend);
  }
}

async function rowsIn(db: DbOrTx, rolloutId: string, statuses: readonly RolloutAgentStatus[]) {
  return db
    .select()
    .from(rolloutAgents)
    .where(and(eq(rolloutAgents.rolloutId, rolloutId), inArray(rolloutAgents.status, [...statuses])))
    .orderBy(asc(rolloutAgents.position));
}

async function countsOf(db: DbOrTx, rolloutId: string): Promise<Record<RolloutAgentStatus, number>> {
  const rows = await db
    .select({ status: rolloutAgents.status, n: sql<number>`count(*)` })
    .from(rolloutAgents)
    .where(eq(rolloutAgents.rolloutId, rolloutId))
    .groupBy(rolloutAgents.status);
  const counts = {
    pending: 0,
    in_progress: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    rolling_back: 0,
    rolled_back: 0,
    rollback_failed: 0,
  } satisfies Record<RolloutAgentStatus, number>;
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/**
 * Sends the next batch: up to `batchSize` pending agents that are still meant to run go in_progress
 * and get their provision; those that are not are skipped (they take the new image at their next
 * start). Returns how many were sent.
 */
async function sendNextBatch(deps: RolloutDeps, rollout: RolloutRow): Promise<number> {
  const sent = await deps.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ status: rollouts.status })
      .from(rollouts)
      .where(eq(rollouts.id, rollout.id));
    if (current?.status !== 'running') return [];
    const picked: string[] = [];
    const now = new Date();
    for (;;) {
      const pending = await tx
        .select({ agentId: rolloutAgents.agentId, desiredState: agents.desiredState })
        .from(rolloutAgents)
        .innerJoin(agents, eq(agents.id, rolloutAgents.agentId))
        .where(and(eq(rolloutAgents.rolloutId, rollout.id), eq(rolloutAgents.status, 'pending')))
        .orderBy(asc(rolloutAgents.position))
        .limit(rollout.batchSize - picked.length);
      if (pending.length === 0) break;
      for (const row of pending) {
        const running = row.desiredState === 'running';
        await tx
          .update(rolloutAgents)
          .set(
            running
              ? { status: 'in_progress', startedAt: now }
              : {
                  status: 'skipped',
                  endedAt: now,
                  error: 'No longer meant to run: it takes the image at its next start',
                },
          )
          .where(and(eq(rolloutAgents.rolloutId, rollout.id), eq(rolloutAgents.agentId, row.agentId)));
        if (running) picked.push(row.agentId);
      }
      if (picked.length >= rollout.batchSize) break;
    }
    await tx.update(rollouts).set({ updatedAt: now }).where(eq(rollouts.id, rollout.id));
    return picked;
  });
  // After the commit (docs/ARCHITECTURE.md, "Commit, then enqueue"); a lost one is sent again above.
  if (sent.length > 0) await deps.enqueue(sent.map((agentId) => provisionFor(rollout, agentId)));
  return sent.length;
}

export type RolloutDeps = Pick<JobDeps, 'db' | 'enqueue' | 'jobsInFlight'>;

/**
 * One step of a rollout (docs/ARCHITECTURE.md, "Images and rollouts"), safe to run twice: it reads
 * everything from libSQL, records outcomes, and then, by the rollout's status, stops it past its
 * failure threshold, sends the next batch, completes it, or finishes its rollback. It never waits: it
 * runs again when a run of one of its agents ends (`wakeRollouts`) and every minute from `reconcile.all`.
 */
export async function stepRollout(deps: RolloutDeps, rolloutId: string): Promise<void> {
  const [rollout] = await deps.db.select().from(rollouts).where(eq(rollouts.id, rolloutId));
  if (!rollout) return;
  await recordOutcomes(deps, rollout, await rowsIn(deps.db, rolloutId, ['in_progress', 'rolling_back']));
  const counts = await countsOf(deps.db, rolloutId);

  if (rollout.status === 'rolling_back') {
    if (counts.rolling_back === 0) {
      await endRollout(deps.db, rollout, 'rolled_back', 'rollout.rollback_finished', {
        rolledBack: counts.rolled_back,
        failed: counts.rollback_failed,
      });
    }
    return;
  }
  if (rollout.status !== 'running') return;

  const done = counts.succeeded + counts.failed;
  if (counts.failed > 0 && counts.failed * 100 > rollout.failureThresholdPercent * done) {
    const reason = `${counts.failed} of ${done} agents failed, more than ${rollout.failureThresholdPercent}%`;
    await endRollout(deps.db, rollout, 'stopped_failed', 'rollout.stopped', { ...counts }, reason);
    return;
  }
  // One batch at a time: the next waits until every agent of this one is healthy or failed.
  if (counts.in_progress > 0) return;
  if ((await sendNextBatch(deps, rollout)) > 0) return;
  const left = await countsOf(deps.db, rolloutId);
  if (left.pending === 0 && left.in_progress === 0) {
    await endRollout(deps.db, rollout, 'completed', 'rollout.completed', { ...left });
  }
}

/**
 * Wakes the rollouts waiting on this agent's provision (its run just ended or will retry): each gets a
 * `rollout.advance`. Called by the agent jobs; a lost wake-up is healed by `reconcile.all`.
 */
export async function wakeRollouts(deps: Pick<JobDeps, 'db' | 'enqueue'>, agentId: string): Promise<void> {
  const waiting = await deps.db
    .selectDistinct({ rolloutId: rolloutAgents.rolloutId })
    .from(rolloutAgents)
    .where(
      and(eq(rolloutAgents.agentId, agentId), inArray(rolloutAgents.status, ['in_progress', 'rolling_back'])),
    );
  if (waiting.length === 0) return;
  await deps.enqueue(waiting.map((row) => advanceRollout(row.rolloutId)));
}

/** Rollouts that still move agents, for `reconcile.all` to advance when their wake-up was lost. */
export async function findMovingRollouts(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: rollouts.id })
    .from(rollouts)
    .where(
      sql`${rollouts.status} in ('running', 'rolling_back') or exists (
        select 1 from ${rolloutAgents} ra where ra.rollout_id = ${rollouts.id} and ra.status in ('in_progress', 'rolling_back'))`,
    );
  return rows.map((row) => row.id);
}
