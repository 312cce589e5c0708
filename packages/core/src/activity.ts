import { actorKinds, agents, apiTokens, auditEvents, type DbOrTx, runs } from '@pocket-smyth/db';
import { and, desc, eq, gte, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { cursorInput, decodeCursor, directionInput, encodeCursor, limitInput } from './cursor';

export const activityFilterInput = z.strictObject({
  actorKind: z.enum(actorKinds).optional(),
  actorId: z.string().max(64).optional(),
  /** A prefix of the action: `person.approved` is that one, `person` every event about a person. */
  action: z.string().max(64).optional(),
  targetKind: z.string().max(32).optional(),
  targetId: z.string().max(64).optional(),
  /** Everything about one person: events on them, their agent, its runs and their API tokens. */
  aboutPerson: z.string().max(64).optional(),
  // Coerced: over tRPC's plain JSON (no transformer) a Date arrives as its ISO string, as over REST.
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type ActivityFilter = z.infer<typeof activityFilterInput>;

export const listActivityInput = activityFilterInput.extend({
  cursor: cursorInput,
  limit: limitInput,
  direction: directionInput,
});

function filterWhere(f: ActivityFilter): SQL[] {
  const where: SQL[] = [];
  if (f.actorKind) where.push(eq(auditEvents.actorKind, f.actorKind));
  if (f.actorId) where.push(eq(auditEvents.actorId, f.actorId));
  if (f.action) where.push(...actionPrefix(f.action));
  if (f.targetKind) where.push(eq(auditEvents.targetKind, f.targetKind));
  if (f.targetId) where.push(eq(auditEvents.targetId, f.targetId));
  if (f.aboutPerson) where.push(aboutPerson(f.aboutPerson));
  if (f.from) where.push(gte(auditEvents.at, f.from));
  if (f.to) where.push(lte(auditEvents.at, f.to));
  return where;
}

/**
 * Actions that start with the prefix, as a range rather than LIKE: there are no wildcards to escape
 * (a `%` or `_` typed in the filter is just text), it is case-sensitive like the names themselves, and
 * the index on action still narrows the scan. Text compares as UTF-8 bytes, where U+10FFFF, the last
 * code point, sorts after every other character that can follow the prefix.
 */
function actionPrefix(prefix: string): SQL[] {
  return [gte(auditEvents.action, prefix), lt(auditEvents.action, `${prefix}\u{10FFFF}`)];
}

/**
 * The events whose target is the person or something of theirs. Their agent's events (restart, public
 * URL) and its runs' (an admin's retry) name the agent or run, not the person, yet belong on the person's
 * page and in their own activity. Each arm is an indexed look-up of audit_events by target.
 */
function aboutPerson(personId: string): SQL {
  const theirAgents = sql`select ${agents.id} from ${agents} where ${agents.userId} = ${personId}`;
  return or(
    eq(auditEvents.targetId, personId),
    and(eq(auditEvents.targetKind, 'agent'), sql`${auditEvents.targetId} in (${theirAgents})`),
    and(
      eq(auditEvents.targetKind, 'run'),
      sql`${auditEvents.targetId} in (select ${runs.id} from ${runs} where ${runs.agentId} in (${theirAgents}))`,
    ),
    and(
      eq(auditEvents.targetKind, 'token'),
      sql`${auditEvents.targetId} in (select ${apiTokens.id} from ${apiTokens} where ${apiTokens.userId} = ${personId})`,
    ),
  ) as SQL;
}

export type ActivityEvent = typeof auditEvents.$inferSelect;

/** Newest first, keyset-paginated on (at, id). */
export async function listActivity(db: DbOrTx, raw: z.input<typeof listActivityInput>) {
  const input = listActivityInput.parse(raw);
  const where = filterWhere(input);
  if (input.cursor) {
    const [at, id] = decodeCursor(input.cursor);
    where.push(
      or(lt(auditEvents.at, new Date(at)), and(eq(auditEvents.at, new Date(at)), lt(auditEvents.id, id)))!,
    );
  }
  const rows = await db
    .select()
    .from(auditEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  const nextCursor = rows.length > input.limit && last ? encodeCursor([last.at.getTime(), last.id]) : null;
  return { items, nextCursor };
}

const csvColumns = [
  'at',
  'actor_kind',
  'actor_id',
  'actor_label',
  'action',
  'target_kind',
  'target_id',
  'target_label',
  'before',
  'after',
  'request_id',
  'ip',
] as const;

/**
 * RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run as a formula, since
 * labels and reasons come from people.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows read per page of an export: the response streams, so the log's size does not matter. */
const EXPORT_PAGE_ROWS = 2_000;

/**
 * The filtered log as CSV lines, header first, newest first (docs/ARCHITECTURE.md, "REST": a streamed
 * text/csv download), read a page at a time on the list's own keyset (time, then id), so an export of
 * the whole log streams without being held. Cells are formula-safe (`csvCell`).
 */
export async function* activityCsvLines(db: DbOrTx, filter: ActivityFilter): AsyncGenerator<string> {
  const where = filterWhere(activityFilterInput.parse(filter));
  yield `${csvColumns.join(',')}\r\n`;
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const page: (typeof auditEvents.$inferSelect)[] = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          ...where,
          ...(after
            ? [
                or(
                  lt(auditEvents.at, after.at),
                  and(eq(auditEvents.at, after.at), lt(auditEvents.id, after.id)),
                ),
              ]
            : []),
        ),
      )
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(EXPORT_PAGE_ROWS);
    if (page.length === 0) return;
    let chunk = '';
    for (const r of page) {
      chunk += `${[
        r.at,
        r.actorKind,
        r.actorId,
        r.actorLabel,
        r.action,
        r.targetKind,
        r.targetId,
        r.targetLabel,
        r.before,
        r.after,
        r.requestId,
        r.ip,
      ]
        .map(csvCell)
        .join(',')}\r\n`;
    }
    yield chunk;
    const last = page.at(-1);
    if (!last || page.length < EXPORT_PAGE_ROWS) return;
    after = { at: last.at, id: last.id };
  }
}
