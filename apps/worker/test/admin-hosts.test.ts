import { activateHost, addHost, drainHost, listHosts, removeHost, systemActor } from '@pocket-smyth/core';
import { agents, auditEvents, hosts } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { decryptPrivateKey, generateEncryptionKey, parseEncryptionKey } from '@pocket-smyth/hosts';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerHosts, parseKeyRef } from '../src/hosts-adapter';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

const meta = { actor: systemActor, requestId: 'test', ip: null };
const pin = `SHA256:${'A'.repeat(43)}`;
const pem =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
const ssh = {
  transport: 'ssh' as const,
  address: '10.0.0.5',
  port: 22,
  user: 'deploy',
  hostKeyFingerprint: pin,
};

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );
}

/** What admin.hosts.* do to the hosts table, and how the worker then places agents. */
describe('managing hosts', () => {
  let testDb: TestDb;

  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb?.cleanup());

  it('adds ssh hosts with a key path or an encrypted key, never the key itself', async () => {
    const db = testDb.db;
    const byPath = await addHost(
      db,
      meta,
      {
        ...ssh,
        name: 'by-path',
        keyPath: '/etc/pocket/id_ed25519',
        capacity: 2,
      },
      null,
    );
    expect(byPath).toMatchObject({ keyKind: 'file', agentsPlaced: 0, freeCapacity: 2, status: 'active' });

    const encryptionKey = generateEncryptionKey();
    const byKey = await addHost(
      db,
      meta,
      { ...ssh, name: 'by-key', privateKey: pem, capacity: 5 },
      encryptionKey,
    );
    const [row] = await db.select().from(hosts).where(eq(hosts.id, byKey.id));
    expect(row?.keyRef).not.toContain('PRIVATE KEY');
    // The worker reads it back with packages/hosts' own decryption.
    const reference = parseKeyRef(row!.keyRef!);
    expect(reference.kind).toBe('encrypted');
    if (reference.kind === 'encrypted') {
      expect(decryptPrivateKey(reference.ciphertext, parseEncryptionKey(encryptionKey))).toBe(pem);
    }

    expect(
      await codeOf(addHost(db, meta, { ...ssh, name: 'no-secret', privateKey: pem, capacity: 1 }, null)),
    ).toBe('BAD_REQUEST');
    expect(
      await codeOf(
        addHost(
          db,
          meta,
          {
            ...ssh,
            hostKeyFingerprint: undefined,
            name: 'no-pin',
            keyPath: '/k',
            capacity: 1,
          },
          null,
        ),
      ),
    ).toBe('BAD_REQUEST');
    expect(
      await codeOf(
        addHost(db, meta, { ...ssh, name: 'both', keyPath: '/k', privateKey: pem, capacity: 1 }, null),
      ),
    ).toBe('BAD_REQUEST');
    expect(
      await codeOf(addHost(db, meta, { ...ssh, name: 'by-path', keyPath: '/k', capacity: 1 }, null)),
    ).toBe('CONFLICT');
    expect(
      await codeOf(
        addHost(
          db,
          meta,
          { name: 'odd-local', transport: 'local', address: 'x', port: 22, capacity: 1 },
          null,
        ),
      ),
    ).toBe('BAD_REQUEST');
  });

  it('places on the active host with most room, lists load, drains, and removes only empty hosts', async () => {
    const db = testDb.db;
    const adapter = createWorkerHosts({
      db,
      agentCpus: 1,
      agentMemoryMb: 256,
      domain: 'example.test',
      log: () => {},
    });
    try {
      const listed = await listHosts(db);
      const byKey = listed.find((h) => h.name === 'by-key')!;
      const byPath = listed.find((h) => h.name === 'by-path')!;
      await db.insert(agents).values({ id: 'a1', username: 'one', desiredState: 'running' });
      const [a1] = await db.select().from(agents).where(eq(agents.id, 'a1'));
      expect(await adapter.place(a1!)).toBe(byKey.id); // 5 free beats 2 free
      await db.update(agents).set({ hostId: byKey.id }).where(eq(agents.id, 'a1'));
      expect((await listHosts(db)).find((h) => h.id === byKey.id)).toMatchObject({
        agentsPlaced: 1,
        freeCapacity: 4,
      });

      const drained = await drainHost(db, meta, byKey.id);
      expect(drained).toMatchObject({ status: 'draining', agentsPlaced: 1 });
      expect(await adapter.place(a1!)).toBe(byPath.id); // draining hosts get no new agents

      expect(await codeOf(removeHost(db, meta, byKey.id))).toBe('CONFLICT');
      expect(await codeOf(removeHost(db, meta, 'no-such-host'))).toBe('NOT_FOUND');
      await db.delete(agents).where(eq(agents.id, 'a1'));
      expect(await removeHost(db, meta, byKey.id)).toEqual({ id: byKey.id, removed: true });
      expect((await listHosts(db)).map((h) => h.name)).toEqual(['by-path']);

      await drainHost(db, meta, byPath.id);
      await expect(adapter.place(a1!)).rejects.toMatchObject({
        errorClass: 'no_host_capacity',
        transient: true,
      });
      // Undoing the drain puts it back into placement; asking again changes (and logs) nothing.
      expect(await activateHost(db, meta, byPath.id)).toMatchObject({ status: 'active' });
      await activateHost(db, meta, byPath.id);
      expect(await adapter.place(a1!)).toBe(byPath.id);

      const audit = await db.select().from(auditEvents).orderBy(asc(auditEvents.id));
      expect(audit.map((e) => [e.action, e.targetLabel])).toEqual([
        ['host.added', 'by-path'],
        ['host.added', 'by-key'],
        ['host.drained', 'by-key'],
        ['host.removed', 'by-key'],
        ['host.drained', 'by-path'],
        ['host.activated', 'by-path'],
      ]);
      expect(JSON.stringify(audit)).not.toContain('PRIVATE KEY');
    } finally {
      await adapter.close();
    }
  });
});
