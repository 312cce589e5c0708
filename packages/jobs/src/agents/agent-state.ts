import { type AgentObservedState, agents, type DbOrTx } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import type { AgentRow } from '../deps';

export async function loadAgent(db: DbOrTx, agentId: string): Promise<AgentRow | undefined> {
  const [row] = await db.select().from(agents).where(eq(agents.id, agentId)).limit(1);
  return row;
}

/** The worker is the only writer of the observed state (docs/ARCHITECTURE.md, "Agent"). */
export async function setObserved(
  db: DbOrTx,
  agentId: string,
  observedState: AgentObservedState,
): Promise<void> {
  const now = new Date();
  await db
    .update(agents)
    .set({ observedState, observedAt: now, updatedAt: now })
    .where(eq(agents.id, agentId));
}
