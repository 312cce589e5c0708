import {
  agents,
  type DbOrTx,
  type PersonRole,
  type PersonStatus,
  personRoles,
  personStatuses,
  plans,
  users,
} from '@pocket-smyth/db';
import { and, asc, desc, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { cursorInput, decodeCursor, directionInput, encodeCursor, limitInput } from './cursor';
import { type AgentRow, findAgentByPersonId, getPersonById, type Person } from './people-queries';

export const listPeopleInput = z.strictObject({
  status: z.enum(personStatuses).optional(),
  role: z.enum(personRoles).optional(),
  search: z.string().trim().max(200).optional(),
  /** Only the people on this plan. */
  planId: z.string().min(1).max(64).optional(),
  /** `oldest` is the approval queue's order; `newest` the people list's. */
  order: z.enum(['newest', 'oldest']).default('newest'),
  cursor: cursorInput,
  limit: limitInput,
  direction: directionInput,
});
export type ListPeopleInput = z.input<typeof listPeopleInput>;

export interface PersonListItem {
  id: string;
  email: string;
  name: string | null;
  username: string | null;
  role: PersonRole;
  status: PersonStatus;
  statusReason: string | null;
  requestedAt: Date | null;
  createdAt: Date;
  agentObservedState: AgentRow['observedState'] | null;
  agentDesiredState: AgentRow['desiredState'] | null;
  planId: string | null;
  planName: string | null;
}

export async function listPeople(db: DbOrTx, raw: ListPeopleInput) {
  const input = listPeopleInput.parse(raw);
  const where: SQL[] = [];
  if (input.status) where.push(eq(users.status, input.status));
  if (input.role) where.push(eq(users.role, input.role));
  if (input.planId) where.push(eq(users.planId, input.planId));
  if (input.search) {
    // instr() instead of LIKE: no wildcard escaping to get wrong.
    const needle = input.search.toLowerCase();
    where.push(
      or(
        sql`instr(lower(${users.email}), ${needle}) > 0`,
        sql`instr(lower(coalesce(${users.username}, '')), ${needle}) > 0`,
        sql`instr(lower(coalesce(${users.name}, '')), ${needle}) > 0`,
      )!,
    );
  }
  const newest = input.order === 'newest';
  if (input.cursor) {
    const [at, id] = decodeCursor(input.cursor);
    const cmp = newest ? lt : gt;
    where.push(
      or(cmp(users.createdAt, new Date(at)), and(eq(users.createdAt, new Date(at)), cmp(users.id, id)))!,
    );
  }
  const dir = newest ? desc : asc;
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      username: users.username,
      role: users.role,
      status: users.status,
      statusReason: users.statusReason,
      requestedAt: users.requestedAt,
      createdAt: users.createdAt,
      agentObservedState: agents.observedState,
      agentDesiredState: agents.desiredState,
      planId: users.planId,
      planName: plans.name,
    })
    .from(users)
    .leftJoin(agents, eq(agents.userId, users.id))
    .leftJoin(plans, eq(plans.id, users.planId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(dir(users.createdAt), dir(users.id))
    .limit(input.limit + 1);

  const items: PersonListItem[] = rows.slice(0, input.limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > input.limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null;
  return { items, nextCursor, counts: await countPeopleByStatus(db) };
}

/** Counts people per status (the admin overview and the list's facet counts). */
export async function countPeopleByStatus(db: DbOrTx): Promise<Record<PersonStatus | 'total', number>> {
  const rows = await db
    .select({ status: users.status, n: sql<number>`count(*)` })
    .from(users)
    .groupBy(users.status);
  const counts = { onboarding: 0, pending: 0, active: 0, rejected: 0, revoked: 0, total: 0 };
  for (const row of rows) {
    counts[row.status] = Number(row.n);
    counts.total += Number(row.n);
  }
  return counts;
}

export async function getPersonWithAgent(
  db: DbOrTx,
  id: string,
): Promise<{ person: Person; agent: AgentRow | null }> {
  const person = await getPersonById(db, id);
  return { person, agent: (await findAgentByPersonId(db, id)) ?? null };
}
