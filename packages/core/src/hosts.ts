import { agents, type Db, type DbOrTx, hosts } from '@pocket-smyth/db';
import {
  encryptPrivateKey,
  HOST_KEY_ENCRYPTION_KEY_ENV,
  parseEncryptionKey,
} from '@pocket-smyth/hosts/private-key';
import { count, eq, isNotNull } from 'drizzle-orm';
import { recordAudit } from './audit';
import { badRequest, conflict, notFound } from './errors';
import type { ChangeMeta } from './ports';

type HostRow = typeof hosts.$inferSelect;

/** What an admin gives to add a host (validated at the edge; see the API's host schema). */
export interface AddHostInput {
  name: string;
  transport: HostRow['transport'];
  /** ssh only: host name or IP address. */
  address?: string | undefined;
  port: number;
  /** ssh only: the account the worker logs in as. */
  user?: string | undefined;
  /** ssh only: a private key file on the worker's machine … */
  keyPath?: string | undefined;
  /** … or the key itself, stored encrypted, never as text. */
  privateKey?: string | undefined;
  /** ssh only: the server's key, pinned; a host that presents another is refused. */
  hostKeyFingerprint?: string | undefined;
  capacity: number;
}

/** A host as admins see it: never its key, only how the key is referenced. */
export interface HostOutput {
  id: string;
  name: string;
  transport: HostRow['transport'];
  address: string | null;
  port: number;
  sshUser: string | null;
  keyKind: 'file' | 'encrypted' | null;
  hostKeyFingerprint: string | null;
  capacity: number;
  status: HostRow['status'];
  agentsPlaced: number;
  freeCapacity: number;
  lastStats: HostRow['lastStats'];
  lastSeenAt: Date | null;
  lastError: string | null;
  createdAt: Date;
}

/**
 * The key encrypted as packages/hosts' `decryptPrivateKey` reads it (one format, in
 * `@pocket-smyth/hosts/private-key`), so the worker can use the key and the database never holds it.
 * `keyText` is HOST_KEY_ENCRYPTION_KEY's value; a malformed one is the caller's bad request.
 */
export function encryptHostPrivateKey(plaintext: string, keyText: string): string {
  let key: Buffer;
  try {
    key = parseEncryptionKey(keyText);
  } catch (error) {
    throw badRequest((error as Error).message);
  }
  return encryptPrivateKey(plaintext, key);
}

function keyKindOf(keyRef: string | null): HostOutput['keyKind'] {
  if (!keyRef) return null;
  return keyRef.startsWith('enc:') ? 'encrypted' : 'file';
}

function toOutput(row: HostRow, agentsPlaced: number): HostOutput {
  return {
    id: row.id,
    name: row.name,
    transport: row.transport,
    address: row.address,
    port: row.port,
    sshUser: row.sshUser,
    keyKind: keyKindOf(row.keyRef),
    hostKeyFingerprint: row.hostKeyFingerprint,
    capacity: row.capacity,
    status: row.status,
    agentsPlaced,
    freeCapacity: Math.max(0, row.capacity - agentsPlaced),
    lastStats: row.lastStats ?? null,
    lastSeenAt: row.lastSeenAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
  };
}

/** What the activity log records of a host: its settings, not its figures. */
function snapshot(row: HostRow): Record<string, unknown> {
  const { name, transport, address, port, sshUser, keyKind, hostKeyFingerprint, capacity, status } = toOutput(
    row,
    0,
  );
  return { name, transport, address, port, sshUser, keyKind, hostKeyFingerprint, capacity, status };
}

async function placedOn(db: DbOrTx, hostId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(agents).where(eq(agents.hostId, hostId));
  return row?.n ?? 0;
}

/**
 * How many agents each host holds: every agent with the host, whatever its state (one being removed
 * still occupies it), plus each agent on its way there (a move holds its place on the target from the
 * request on, so a batch of moves cannot overfill it), as the worker's placement counts them.
 */
export async function agentsPlacedPerHost(db: DbOrTx): Promise<Map<string, number>> {
  const [placed, arriving] = await Promise.all([
    db
      .select({ hostId: agents.hostId, n: count() })
      .from(agents)
      .where(isNotNull(agents.hostId))
      .groupBy(agents.hostId),
    db
      .select({ hostId: agents.moveToHostId, n: count() })
      .from(agents)
      .where(isNotNull(agents.moveToHostId))
      .groupBy(agents.moveToHostId),
  ]);
  const loads = new Map<string, number>();
  for (const { hostId, n } of [...placed, ...arriving]) {
    if (hostId) loads.set(hostId, (loads.get(hostId) ?? 0) + n);
  }
  return loads;
}

/** Every host with its capacity, the agents placed on it and its last stats. */
export async function listHosts(db: Db): Promise<HostOutput[]> {
  const [rows, placed] = await Promise.all([
    db.select().from(hosts).orderBy(hosts.createdAt, hosts.name),
    agentsPlacedPerHost(db),
  ]);
  return rows.map((row) => toOutput(row, placed.get(row.id) ?? 0));
}

export async function addHost(
  db: Db,
  meta: ChangeMeta,
  input: AddHostInput,
  /** HOST_KEY_ENCRYPTION_KEY: without it a private key cannot be stored, only a key path. */
  hostKeyEncryptionKey: string | null,
): Promise<HostOutput> {
  let values: typeof hosts.$inferInsert = {
    name: input.name,
    transport: input.transport,
    capacity: input.capacity,
  };
  if (input.transport === 'ssh') {
    if (!input.address) throw badRequest('An ssh host needs an address.', { field: 'address' });
    if (!input.user) throw badRequest('An ssh host needs a user.', { field: 'user' });
    if (!input.hostKeyFingerprint) {
      throw badRequest('Pin the host key: give its SHA256:… fingerprint.', { field: 'hostKeyFingerprint' });
    }
    if (Boolean(input.keyPath) === Boolean(input.privateKey)) {
      throw badRequest('Give either a key path or a private key.', { field: 'keyPath' });
    }
    let keyRef: string;
    if (input.keyPath) keyRef = `file:${input.keyPath}`;
    else {
      const privateKey = input.privateKey ?? '';
      if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
        throw badRequest('That is not a PEM or OpenSSH private key.', { field: 'privateKey' });
      }
      const encryptionKey = hostKeyEncryptionKey;
      if (!encryptionKey) {
        throw badRequest(
          `${HOST_KEY_ENCRYPTION_KEY_ENV} is not set, so a key cannot be stored; give a key path.`,
          {
            field: 'privateKey',
          },
        );
      }
      keyRef = `enc:${encryptHostPrivateKey(privateKey, encryptionKey)}`;
    }
    values = {
      ...values,
      address: input.address,
      port: input.port,
      sshUser: input.user,
      keyRef,
      hostKeyFingerprint: input.hostKeyFingerprint,
    };
  } else if (input.address || input.user || input.keyPath || input.privateKey || input.hostKeyFingerprint) {
    throw badRequest('A local host takes no ssh settings.', { field: 'transport' });
  }
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: hosts.id }).from(hosts).where(eq(hosts.name, input.name));
    if (taken) throw conflict(`A host named ${input.name} exists already.`, { field: 'name' });
    const [row] = await tx.insert(hosts).values(values).returning();
    if (!row) throw new Error('host insert returned nothing');
    await recordAudit(tx, meta, {
      action: 'host.added',
      target: { kind: 'host', id: row.id, label: row.name },
      after: snapshot(row),
    });
    return toOutput(row, 0);
  });
}

/** A draining host keeps its agents and gets no new ones. */
export function drainHost(db: Db, meta: ChangeMeta, id: string): Promise<HostOutput> {
  return setPlacementStatus(db, meta, id, 'draining');
}

/** Puts a drained host back into placement: new agents may land on it again. */
export function activateHost(db: Db, meta: ChangeMeta, id: string): Promise<HostOutput> {
  return setPlacementStatus(db, meta, id, 'active');
}

const placementActions = { draining: 'host.drained', active: 'host.activated' } as const;

/** Sets whether placement may use the host; a change is audited, asking for the current one is not. */
async function setPlacementStatus(
  db: Db,
  meta: ChangeMeta,
  id: string,
  status: keyof typeof placementActions,
): Promise<HostOutput> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(hosts).where(eq(hosts.id, id));
    if (!before) throw notFound('Host');
    const [after] = await tx
      .update(hosts)
      .set({ status, updatedAt: new Date() })
      .where(eq(hosts.id, id))
      .returning();
    if (!after) throw notFound('Host');
    if (before.status !== status) {
      await recordAudit(tx, meta, {
        action: placementActions[status],
        target: { kind: 'host', id, label: before.name },
        before: { status: before.status },
        after: { status: after.status },
      });
    }
    return toOutput(after, await placedOn(tx, id));
  });
}

/** Removes a host that has no agents left (drain it and move or delete them first). */
export async function removeHost(
  db: Db,
  meta: ChangeMeta,
  id: string,
): Promise<{ id: string; removed: true }> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(hosts).where(eq(hosts.id, id));
    if (!before) throw notFound('Host');
    const placed = await placedOn(tx, id);
    if (placed > 0) {
      throw conflict(`Host ${before.name} still has ${placed} agent(s); it can be removed once empty.`, {
        agentsPlaced: placed,
      });
    }
    await tx.delete(hosts).where(eq(hosts.id, id));
    await recordAudit(tx, meta, {
      action: 'host.removed',
      target: { kind: 'host', id, label: before.name },
      before: snapshot(before),
      after: null,
    });
    return { id, removed: true as const };
  });
}
