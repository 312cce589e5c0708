import { type Db, users } from '@pocket-smyth/db';
import { sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import { getPersonById, type Person } from './people-queries';
import type { Actor } from './ports';

export interface NewPersonInput {
  email: string;
  name?: string | null;
  image?: string | null;
  emailVerified?: Date | null;
}

export interface RegistrationPolicy {
  /** Lowercased addresses that become active admins on first sign-in. */
  adminEmails: readonly string[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates the person row at first sign-in. The first person of a fresh install, and anyone listed in
 * ADMIN_EMAILS, is an active admin at once. The count and the insert share one write transaction, so
 * two simultaneous first sign-ins cannot both become the first.
 */
export async function registerPerson(
  db: Db,
  input: NewPersonInput,
  policy: RegistrationPolicy,
  meta: { requestId?: string | null; ip?: string | null } = {},
): Promise<Person> {
  const email = normalizeEmail(input.email);
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ n: sql<number>`count(*)` }).from(users);
    const firstPerson = Number(row?.n ?? 0) === 0;
    const listedAdmin = policy.adminEmails.includes(email);
    const admin = firstPerson || listedAdmin;
    const [created] = await tx
      .insert(users)
      .values({
        email,
        name: input.name ?? null,
        image: input.image ?? null,
        emailVerified: input.emailVerified ?? null,
        role: admin ? 'admin' : 'user',
        status: admin ? 'active' : 'onboarding',
      })
      .returning({ id: users.id });
    const id = created!.id;
    const actor: Actor = { kind: 'person', id, label: email, personId: id };
    await recordAudit(
      tx,
      { actor, requestId: meta.requestId ?? null, ip: meta.ip ?? null },
      {
        action: 'person.signed_up',
        target: { kind: 'person', id, label: email },
        before: null,
        after: {
          role: admin ? 'admin' : 'user',
          status: admin ? 'active' : 'onboarding',
          why: firstPerson ? 'first_person' : listedAdmin ? 'admin_email' : 'sign_up',
        },
      },
    );
    return getPersonById(tx, id);
  });
}

/** One activity-log row per sign-in, attributed to the person. */
export async function recordSignIn(
  db: Db,
  person: Pick<Person, 'id' | 'email'>,
  method: string,
  meta: { requestId?: string | null; ip?: string | null } = {},
): Promise<void> {
  const actor: Actor = { kind: 'person', id: person.id, label: person.email, personId: person.id };
  await recordAudit(
    db,
    { actor, requestId: meta.requestId ?? null, ip: meta.ip ?? null },
    {
      action: 'person.signed_in',
      target: { kind: 'person', id: person.id, label: person.email },
      after: { method },
    },
  );
}
