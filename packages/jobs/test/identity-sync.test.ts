import { agents, users } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentIdentity,
  type IdentityAttributes,
  type IdentityProvider,
  writeCurrentIdentity,
} from '../src';
import { createTestDb, type TestDb } from './helpers';

const agentUrl = (username: string) => `https://${username}.example.test/agent`;

/** What an identity provider that only remembers the last write holds, and every write it got. */
function recordingProvider(onWrite: (attributes: IdentityAttributes) => Promise<void> = async () => {}) {
  const writes: IdentityAttributes[] = [];
  const provider: IdentityProvider = {
    async syncPerson(attributes) {
      writes.push(attributes);
      await onWrite(attributes);
    },
  };
  return { provider, writes };
}

describe("the person's attributes in the identity provider", () => {
  let testDb: TestDb;

  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb?.cleanup());

  async function person(username: string | null, status: 'onboarding' | 'pending' | 'active' | 'revoked') {
    const [row] = await testDb.db
      .insert(users)
      .values({ email: `${username ?? 'nobody'}@example.com`, username, status })
      .returning({ id: users.id });
    return row!.id;
  }

  it('are read from the person and their agent: the URL only while active with an agent meant to run', async () => {
    const deps = { db: testDb.db, agentUrl };
    const active = await person('ann', 'active');
    await testDb.db.insert(agents).values({ userId: active, username: 'ann', desiredState: 'running' });
    expect(await currentIdentity(deps, active)).toEqual({
      personId: active,
      username: 'ann',
      status: 'active',
      agentUrl: 'https://ann.example.test/agent',
    });
    const revoked = await person('rob', 'revoked');
    await testDb.db.insert(agents).values({ userId: revoked, username: 'rob', desiredState: 'stopped' });
    expect(await currentIdentity(deps, revoked)).toMatchObject({ status: 'revoked', agentUrl: null });
    expect(await currentIdentity(deps, await person('pia', 'pending'))).toMatchObject({
      status: 'pending',
      agentUrl: null,
    });
    // Nothing to write yet (no username), or any more (no row).
    expect(await currentIdentity(deps, await person(null, 'onboarding'))).toBeNull();
    expect(await currentIdentity(deps, 'no-such-person')).toBeNull();
  });

  it('are written again when a decision commits while a write is on its way: the newest status wins', async () => {
    const deps = { db: testDb.db, agentUrl };
    const personId = await person('max', 'active');
    await testDb.db.insert(agents).values({ userId: personId, username: 'max', desiredState: 'running' });
    // The first write is slow: meanwhile an admin revokes the person (as revokePerson commits it).
    let revokedMeanwhile = false;
    const { provider, writes } = recordingProvider(async () => {
      if (revokedMeanwhile) return;
      revokedMeanwhile = true;
      await testDb.db.update(users).set({ status: 'revoked' }).where(eq(users.id, personId));
      await testDb.db.update(agents).set({ desiredState: 'stopped' }).where(eq(agents.userId, personId));
    });
    const written = await writeCurrentIdentity(deps, provider, personId, {});
    expect(writes.map((w) => [w.status, w.agentUrl])).toEqual([
      ['active', 'https://max.example.test/agent'],
      ['revoked', null],
    ]);
    expect(written).toMatchObject({ status: 'revoked', agentUrl: null });
  });
});
