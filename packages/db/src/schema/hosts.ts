import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const hostTransports = ['ssh', 'local'] as const;
export type HostTransportKind = (typeof hostTransports)[number];

/** `draining` hosts keep their agents but get no new ones (docs/ARCHITECTURE.md, "Hosts"). */
export const hostStatuses = ['active', 'draining'] as const;
export type HostStatus = (typeof hostStatuses)[number];

/** Host totals from the last poll (docs/ARCHITECTURE.md, "Hosts"); the history lives in `host_samples`. */
export interface HostStats {
  cpuPercent: number;
  /** Online CPUs (absent in rows written before it was kept). */
  cpuCount?: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
  agentsRunning?: number;
}

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * A machine that runs agents. `ssh` hosts need an address, user, key reference and pinned host key;
 * `local` runs the host scripts with bash on the worker's own machine and needs none of them.
 */
export const hosts = sqliteTable(
  'hosts',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text('name').notNull(),
    transport: text('transport', { enum: hostTransports }).notNull(),
    address: text('address'),
    port: integer('port').notNull().default(22),
    sshUser: text('ssh_user'),
    // Where the private key is, never the key: a path (`file:/…`) or a blob encrypted with a key from the
    // environment (`enc:…`). The check below refuses anything that looks like a PEM key.
    keyRef: text('key_ref'),
    // The pinned server key, OpenSSH style (`SHA256:` + base64). A host that presents another is refused.
    hostKeyFingerprint: text('host_key_fingerprint'),
    /** How many agents may be placed here. */
    capacity: integer('capacity').notNull().default(10),
    status: text('status', { enum: hostStatuses }).notNull().default('active'),
    lastStats: text('last_stats', { mode: 'json' }).$type<HostStats | null>(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
    /** Why the last poll failed (e.g. `host_unreachable: …`); null after a good poll. */
    lastError: text('last_error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('hosts_name_unique').on(t.name),
    check(
      'hosts_ssh_fields',
      sql`${t.transport} = 'local' or (${t.address} is not null and ${t.sshUser} is not null and ${t.keyRef} is not null and ${t.hostKeyFingerprint} is not null)`,
    ),
    check('hosts_key_ref_not_plaintext', sql`${t.keyRef} is null or ${t.keyRef} not like '%PRIVATE KEY%'`),
    check(
      'hosts_fingerprint_sha256',
      sql`${t.hostKeyFingerprint} is null or ${t.hostKeyFingerprint} like 'SHA256:%'`,
    ),
    check('hosts_capacity_non_negative', sql`${t.capacity} >= 0`),
  ],
);
