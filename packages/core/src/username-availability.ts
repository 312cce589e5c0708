import { type DbOrTx, users } from '@pocket-smyth/db';
import { inArray, sql } from 'drizzle-orm';
import { foldUsername, isValidUsername, type UsernameProblem, usernameProblems } from './usernames';

export interface UsernameCheck {
  username: string;
  available: boolean;
  problems: UsernameProblem[];
  /** Free alternatives, offered when the name is valid but taken. */
  suggestions: string[];
}

function candidates(name: string): string[] {
  const base = name.slice(0, 28).replace(/-+$/, '');
  const out = [2, 3, 4, 5, 7, 9].map((n) => `${base}${n}`);
  out.push(`${base}-ai`, `${base}-hq`);
  return out.filter(isValidUsername);
}

export async function checkUsername(db: DbOrTx, raw: string, selfId?: string): Promise<UsernameCheck> {
  const username = foldUsername(raw);
  const problems = usernameProblems(username);
  if (problems.length > 0) return { username, available: false, problems, suggestions: [] };
  const wanted = [username, ...candidates(username)];
  const taken = await db
    .select({ id: users.id, username: sql<string>`lower(${users.username})` })
    .from(users)
    .where(inArray(sql`lower(${users.username})`, wanted));
  const takenByOthers = new Set(taken.filter((t) => t.id !== selfId).map((t) => t.username));
  if (!takenByOthers.has(username)) return { username, available: true, problems: [], suggestions: [] };
  return {
    username,
    available: false,
    problems: [{ rule: 'taken', message: 'That username is taken.' }],
    suggestions: wanted
      .slice(1)
      .filter((c) => !takenByOthers.has(c))
      .slice(0, 3),
  };
}
