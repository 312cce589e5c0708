import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const outboxStatuses = ['queued', 'sent', 'failed', 'local'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * Every mail the product sends is written here first. Without a mail provider configured the row stays
 * `local` and the admin panel shows it; that is how magic links reach a developer.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    kind: text('kind').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    status: text('status', { enum: outboxStatuses }).notNull().default('local'),
    providerId: text('provider_id'),
    error: text('error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('outbox_created_idx').on(t.createdAt, t.id), index('outbox_to_idx').on(t.to, t.createdAt)],
);
