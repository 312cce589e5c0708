import { agents, type DbOrTx, parsePreferences, users } from '@pocket-smyth/db';
import { eq, sql } from 'drizzle-orm';
import { notFound } from './errors';

export type PersonRow = typeof users.$inferSelect;
export type Person = PersonRow;
export type AgentRow = typeof agents.$inferSelect;

export async function findPersonById(db: DbOrTx, id: string): Promise<Person | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ? withParsedPreferences(row) : undefined;
}

export async function getPersonById(db: DbOrTx, id: string): Promise<Person> {
  const person = await findPersonById(db, id);
  if (!person) throw notFound('Person');
  return person;
}

export async function findPersonByUsername(db: DbOrTx, username: string): Promise<Person | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  return row ? withParsedPreferences(row) : undefined;
}

export async function findAgentByPersonId(db: DbOrTx, personId: string): Promise<AgentRow | undefined> {
  const [row] = await db.select().from(agents).where(eq(agents.userId, personId)).limit(1);
  return row;
}

export function withParsedPreferences(row: PersonRow): Person {
  return { ...row, preferences: parsePreferences(row.preferences) };
}

/** The fields of a person that audit events record as before/after. */
export function personSnapshot(p: Pick<Person, 'status' | 'role' | 'username' | 'statusReason'>) {
  return { status: p.status, role: p.role, username: p.username, statusReason: p.statusReason };
}
