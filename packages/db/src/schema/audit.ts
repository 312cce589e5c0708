import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const actorKinds = ['person', 'token', 'system'] as const;
export type ActorKind = (typeof actorKinds)[number];

/**
 * The activity log. No foreign keys on purpose: an event outlives the person, token or agent it names,
 * so labels (email, username) are copied in at write time.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorKind: text('actor_kind', { enum: actorKinds }).notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    targetKind: text('target_kind'),
    targetId: text('target_id'),
    targetLabel: text('target_label'),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    after: text('after', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    requestId: text('request_id'),
    ip: text('ip'),
  },
  (t) => [
    index('audit_at_idx').on(t.at, t.id),
    index('audit_actor_idx').on(t.actorId, t.at),
    index('audit_target_idx').on(t.targetKind, t.targetId, t.at),
    index('audit_action_idx').on(t.action, t.at),
  ],
);
