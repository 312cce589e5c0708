import {
  agents,
  auditEvents,
  type DbOrTx,
  type EvacuationAgentStatus,
  hostEvacuationAgents,
  hostEvacuations,
  runs,
  timeOrderedId,
} from '@pocket-smyth/db';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { loadAgent } from './agents/agent-state';
import { continueEvacuation, moveAgent } from './contract';
import type { JobDeps } from './deps';
import { errorClassOf } from './errors';

type EvacuationRow = typeof hostEvacuations.$inferSelect;
type ItemRow = typeof hostEvacuationAgents.$inferSelect;

/**
 * One round of an evacuation (docs/ARCHITECTURE.md, "Moves and evacuations"): each agent being moved
 * that has since run on another host counts as moved, one whose move was given up (its intent cleared,
 * still on the host) as failed; then agents waiting their turn are sent, up to the batch size, each to
 * placement's choice (never the draining host: placement takes active hosts only). Safe to run twice:
 * it reads where each agent is, and sends a move only to an agent with none under way. Ends the
 * evacuation once nothing is waiting or moving.
 */
export async function evacuationRound(deps: JobDeps, evacuationId: string): Promise<void> {
  const { db } = deps;
  const [evacuation] = await db.select().from(hostEvacuations).where(eq(hostEvacuations.id, evacuationId));
  if (evacuation?.status !== 'running') return;
  const items = await db
    .select()
    .from(hostEvacuationAgents)
    .where(eq(hostEvacuationAgents.evacuationId, evacuationId))
    .orderBy(asc(hostEvacuationAgents.username));

  let moving = 0;
  for (const item of items) {
    if (item.status !== 'moving') continue;
    const settled = await settledMove(db, evacuation, item);
    if (settled) await settle(db, item, settled.status, settled.message);
    else moving++;
  }

  const sent: string[] = [];
  for (const item of items) {
    if (item.status !== 'waiting') continue;
    if (moving >= evacuation.batchSize) break;
    const agent = await loadAgent(db, item.agentId);
    if (!agent || agent.desiredState === 'absent') {
      await settle(db, item, 'failed', 'The agent was removed');
      continue;
    }
    if (agent.hostId !== evacuation.hostId) {
      await settle(db, item, 'moved', null);
      continue;
    }
    if (agent.moveToHostId) {
      // A move already under way (an admin's): the evacuation waits for it like one of its own.
      await markMoving(db, item, agent.moveToHostId);
      moving++;
      continue;
    }
    let targetHostId: string;
    try {
      targetHostId = await deps.hosts.place(agent);
    } catch (error) {
      if (errorClassOf(error) !== 'no_host_capacity') throw error;
      await settle(db, item, 'failed', (error as Error).message);
      continue;
    }
    const started = await db.transaction(async (tx) => {
      const updated = await tx
        .update(agents)
        .set({ moveToHostId: targetHostId, updatedAt: new Date() })
        .where(
          and(eq(agents.id, agent.id), eq(agents.hostId, evacuation.hostId), isNull(agents.moveToHostId)),
        )
        .returning({ id: agents.id });
      if (updated.length === 0) return false;
      await recordMoveRequested(tx, evacuation, agent, targetHostId);
      await markMoving(tx, item, targetHostId);
      return true;
    });
    if (!started) continue; // changed under us; the next round reads it again
    sent.push(agent.id);
    moving++;
  }
  // Commit, then enqueue (docs/ARCHITECTURE.md): the intents are on the rows, the reconciler re-sends a
  // lost one.
  if (sent.length > 0) await deps.enqueue(sent.map((agentId) => moveAgent(agentId)));
  await recount(db, evacuationId);
}

/** How a move of the evacuation ended, or null while it is under way. */
async function settledMove(
  db: DbOrTx,
  evacuation: EvacuationRow,
  item: ItemRow,
): Promise<{ status: EvacuationAgentStatus; message: string | null } | null> {
  const agent = await loadAgent(db, item.agentId);
  if (!agent) return { status: 'failed', message: 'The agent was removed' };
  if (agent.hostId !== evacuation.hostId) return { status: 'moved', message: null };
  if (agent.moveToHostId) return null;
  const [run] = await db
    .select({ errorMessage: runs.errorMessage })
    .from(runs)
    .where(and(eq(runs.agentId, agent.id), eq(runs.kind, 'move')))
    .orderBy(desc(runs.id))
    .limit(1);
  return { status: 'failed', message: run?.errorMessage ?? 'The move was given up' };
}

async function settle(db: DbOrTx, item: ItemRow, status: EvacuationAgentStatus, message: string | null) {
  await db
    .update(hostEvacuationAgents)
    .set({ status, message, updatedAt: new Date() })
    .where(
      and(
        eq(hostEvacuationAgents.evacuationId, item.evacuationId),
        eq(hostEvacuationAgents.agentId, item.agentId),
      ),
    );
}

async function markMoving(db: DbOrTx, item: ItemRow, targetHostId: string) {
  await db
    .update(hostEvacuationAgents)
    .set({ status: 'moving', targetHostId, updatedAt: new Date() })
    .where(
      and(
        eq(hostEvacuationAgents.evacuationId, item.evacuationId),
        eq(hostEvacuationAgents.agentId, item.agentId),
      ),
    );
}

/** The move's audit event, in the evacuation requester's name: the activity log shows every move. */
async function recordMoveRequested(
  tx: DbOrTx,
  evacuation: EvacuationRow,
  agent: { id: string; username: string; hostId: string | null },
  targetHostId: string,
) {
  const at = new Date();
  await tx.insert(auditEvents).values({
    id: timeOrderedId(at.getTime()),
    at,
    actorKind: evacuation.requestedByKind,
    actorId: evacuation.requestedById,
    actorLabel: evacuation.requestedByLabel,
    action: 'agent.move_requested',
    targetKind: 'agent',
    targetId: agent.id,
    targetLabel: agent.username,
    before: { hostId: agent.hostId },
    after: { moveToHostId: targetHostId, evacuationId: evacuation.id },
    requestId: null,
    ip: null,
  });
}

/** The counts on the evacuation row, and its end once nothing is waiting or moving. */
async function recount(db: DbOrTx, evacuationId: string): Promise<void> {
  const items = await db
    .select({ status: hostEvacuationAgents.status })
    .from(hostEvacuationAgents)
    .where(eq(hostEvacuationAgents.evacuationId, evacuationId));
  const count = (status: EvacuationAgentStatus) => items.filter((i) => i.status === status).length;
  const open = count('waiting') + count('moving');
  const now = new Date();
  await db
    .update(hostEvacuations)
    .set({
      moved: count('moved'),
      failed: count('failed'),
      updatedAt: now,
      ...(open === 0 ? { status: 'finished' as const, endedAt: now } : {}),
    })
    .where(and(eq(hostEvacuations.id, evacuationId), eq(hostEvacuations.status, 'running')));
}

/** After a move ended: the next round of the evacuation it belongs to, if any. */
export async function evacuationsAfterMove(deps: JobDeps, agentId: string): Promise<void> {
  const rows = await deps.db
    .select({ evacuationId: hostEvacuationAgents.evacuationId })
    .from(hostEvacuationAgents)
    .innerJoin(hostEvacuations, eq(hostEvacuations.id, hostEvacuationAgents.evacuationId))
    .where(and(eq(hostEvacuationAgents.agentId, agentId), eq(hostEvacuations.status, 'running')));
  if (rows.length > 0) await deps.enqueue(rows.map((row) => continueEvacuation(row.evacuationId)));
}
