import { auditEvents, type DbOrTx, timeOrderedId } from '@pocket-smyth/db';
import type { ChangeMeta } from './ports';

export interface AuditTarget {
  kind: 'person' | 'agent' | 'token' | 'host' | 'run' | 'rollout' | 'plan';
  id: string;
  label?: string | null;
}

export interface AuditEntry {
  action: string;
  target?: AuditTarget;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Writes one activity-log row. Call it with the same `tx` as the change it describes. */
export async function recordAudit(tx: DbOrTx, meta: ChangeMeta, entry: AuditEntry): Promise<void> {
  const at = new Date();
  await tx.insert(auditEvents).values({
    id: timeOrderedId(at.getTime()),
    at,
    actorKind: meta.actor.kind,
    actorId: meta.actor.id,
    actorLabel: meta.actor.label,
    action: entry.action,
    targetKind: entry.target?.kind ?? null,
    targetId: entry.target?.id ?? null,
    targetLabel: entry.target?.label ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: meta.requestId,
    ip: meta.ip,
  });
}
