import { type DbOrTx, outbox, outboxStatuses } from '@pocket-smyth/db';
import { desc } from 'drizzle-orm';
import { z } from 'zod';
import { isoDate } from '../../../schemas/date';
import { adminProcedure } from '../../../trpc';

const outboxItem = z.object({
  id: z.string(),
  kind: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: z.enum(outboxStatuses),
  error: z.string().nullable(),
  createdAt: isoDate(),
  sentAt: isoDate().nullable(),
});

async function latestMail(db: DbOrTx, limit: number) {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.id)).limit(limit);
}

/** The mail outbox: everything the product sent or would have sent, newest first. */
export const listOutboxProcedure = adminProcedure
  .meta({
    scope: 'admin:system:read',
    openapi: {
      method: 'GET',
      path: '/outbox',
      tags: ['system'],
      summary: 'Mail the product sent (the outbox)',
    },
  })
  .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }))
  .output(z.array(outboxItem))
  .query(({ ctx, input }) => latestMail(ctx.db, input.limit));
