/**
 * Revoking a person revokes their API tokens in the same transaction as the status change, audited once
 * as part of the revocation; restoring the person does not bring the tokens back.
 */
import { apiTokens, auditEvents } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChangeDeps,
  createApiToken,
  type Person,
  registerPerson,
  restorePerson,
  revokePerson,
  TokenRejected,
  verifyApiToken,
} from '../src/index';

let handle: Awaited<ReturnType<typeof createTestDb>>;
let admin: Person;
let alice: Person;
let deps: ChangeDeps;

beforeEach(async () => {
  handle = await createTestDb();
  admin = await registerPerson(handle.db, { email: 'root@example.com' }, { adminEmails: [] });
  alice = await registerPerson(
    handle.db,
    { email: 'alice@example.com' },
    { adminEmails: ['alice@example.com'] },
  );
  deps = {
    actor: { kind: 'person', id: admin.id, label: admin.email, personId: admin.id },
    requestId: 'req-revoke',
    ip: '192.0.2.1',
    enqueue: async () => {},
  };
});
afterEach(() => handle.cleanup());

async function mint(owner: Person): Promise<string> {
  const input = { name: 'cli', scopes: ['me:read' as const], expiresInDays: 30 };
  return (await createApiToken(handle.db, deps, owner, input, { maxDays: 365 })).secret;
}

describe('revokePerson', () => {
  it('revokes every token of the person, and a restore leaves them revoked', async () => {
    const secrets = [await mint(alice), await mint(alice)];
    const adminSecret = await mint(admin);

    await revokePerson(handle.db, deps, alice.id, 'Leaked credentials.');
    const rows = await handle.db.select().from(apiTokens).where(eq(apiTokens.userId, alice.id));
    expect(rows.map((r) => [r.revokedAt !== null, r.revokedBy])).toEqual([
      [true, admin.id],
      [true, admin.id],
    ]);

    await restorePerson(handle.db, deps, alice.id);
    for (const secret of secrets) {
      await expect(verifyApiToken(handle.db, secret, null)).rejects.toEqual(new TokenRejected('revoked'));
    }
    // Someone else's tokens are untouched.
    await expect(verifyApiToken(handle.db, adminSecret, null)).resolves.toMatchObject({
      person: { id: admin.id },
    });

    const revocation = (
      await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'person.revoked'))
    )[0];
    expect(revocation).toMatchObject({
      targetId: alice.id,
      requestId: 'req-revoke',
      after: expect.objectContaining({ status: 'revoked', tokensRevoked: 2 }),
    });
    expect(await handle.db.$count(auditEvents, eq(auditEvents.action, 'token.revoked'))).toBe(0);
    // The restore records no token count: it changes no token.
    const restore = (
      await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'person.restored'))
    )[0];
    expect(restore?.after).not.toHaveProperty('tokensRevoked');
  });
});
