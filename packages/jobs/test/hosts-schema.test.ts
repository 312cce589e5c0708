import { hosts } from '@pocket-smyth/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './helpers';

// The hosts table's checks (migration 0001): secrets and pins are enforced by the database itself.
describe('hosts table', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb?.cleanup());

  const ssh = {
    transport: 'ssh' as const,
    address: '127.0.0.1',
    sshUser: 'agents',
    keyRef: 'file:/etc/pocket-smyth/host.key',
    hostKeyFingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
  };

  it('takes a local host with no SSH fields, and an SSH host with all of them', async () => {
    await testDb.db.insert(hosts).values({ name: 'local', transport: 'local' });
    await testDb.db.insert(hosts).values({ name: 'h1', ...ssh });
    expect((await testDb.db.select().from(hosts)).map((h) => [h.name, h.status, h.capacity])).toEqual([
      ['local', 'active', 10],
      ['h1', 'active', 10],
    ]);
  });

  it('refuses a private key stored in plain text, an unpinned SSH host and a duplicate name', async () => {
    const pem =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    await expect(testDb.db.insert(hosts).values({ name: 'h2', ...ssh, keyRef: pem })).rejects.toThrow();
    await expect(
      testDb.db.insert(hosts).values({ name: 'h3', ...ssh, hostKeyFingerprint: null }),
    ).rejects.toThrow();
    await expect(
      testDb.db.insert(hosts).values({ name: 'h4', ...ssh, hostKeyFingerprint: 'MD5:aa:bb' }),
    ).rejects.toThrow();
    await expect(testDb.db.insert(hosts).values({ name: 'h1', transport: 'local' })).rejects.toThrow();
  });
});
