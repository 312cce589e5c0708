import { agents, type Db } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { recordAudit } from './audit';
import { notFound } from './errors';
import { type AgentRow, findAgentByPersonId } from './people-queries';
import { refusePublicUrlIfForbidden } from './plans';
import type { ChangeDeps } from './ports';

/**
 * The public-URL toggle. The forward-auth endpoint reads this flag on every request, so it takes effect
 * at once with no change on the host.
 */
export async function setAgentPublic(
  db: Db,
  deps: ChangeDeps,
  personId: string,
  enabled: boolean,
): Promise<AgentRow> {
  return db.transaction(async (tx) => {
    const found = await findAgentByPersonId(tx, personId);
    if (!found) throw notFound('Agent');
    if (found.publicUrlEnabled === enabled) return found;
    // The plan decides whether a public URL may be turned on (docs/ARCHITECTURE.md, "Plans and quotas").
    if (enabled) await refusePublicUrlIfForbidden(tx, personId);
    const now = new Date();
    await tx.update(agents).set({ publicUrlEnabled: enabled, updatedAt: now }).where(eq(agents.id, found.id));
    await recordAudit(tx, deps, {
      action: enabled ? 'agent.public_enabled' : 'agent.public_disabled',
      target: { kind: 'agent', id: found.id, label: found.username },
      before: { publicUrlEnabled: found.publicUrlEnabled },
      after: { publicUrlEnabled: enabled },
    });
    return { ...found, publicUrlEnabled: enabled, updatedAt: now };
  });
}
