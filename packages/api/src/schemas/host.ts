import { evacuationStatuses, hostStatuses, hostTransports } from '@pocket-smyth/db';
import { z } from 'zod';
import { isoDate } from './date';

/** OpenSSH's form of a host key fingerprint, as `ssh-keygen -lf` prints it. */
export const HOST_KEY_FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const hostIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export const addHostInput = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, 'lowercase letters, digits, dots and dashes'),
  transport: z.enum(hostTransports),
  /** ssh only: host name or IP address. */
  address: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'a host name or IP address')
    .optional(),
  port: z.number().int().min(1).max(65_535).default(22),
  /** ssh only: the account the worker logs in as. */
  user: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Unix user name')
    .optional(),
  /** ssh only: a private key file on the worker's machine … */
  keyPath: z.string().trim().startsWith('/', 'an absolute path').max(1_024).optional(),
  /** … or the key itself, stored encrypted with HOST_KEY_ENCRYPTION_KEY, never as text. */
  privateKey: z.string().max(16_384).optional(),
  /** ssh only: the server's key, pinned; a host that presents another is refused. */
  hostKeyFingerprint: z
    .string()
    .trim()
    .regex(HOST_KEY_FINGERPRINT_PATTERN, 'SHA256:… as ssh-keygen -lf prints it')
    .optional(),
  capacity: z.number().int().min(0).max(100_000).default(10),
});

export type AddHostInput = z.infer<typeof addHostInput>;

export const hostStatsOutput = z.object({
  cpuPercent: z.number(),
  memoryUsedBytes: z.number(),
  memoryTotalBytes: z.number(),
  diskUsedBytes: z.number(),
  diskTotalBytes: z.number(),
  agentsRunning: z.number().optional(),
});

export const hostOutput = z.object({
  id: z.string(),
  name: z.string(),
  transport: z.enum(hostTransports),
  address: z.string().nullable(),
  port: z.number(),
  sshUser: z.string().nullable(),
  /** How the private key is referenced; never the key. */
  keyKind: z.enum(['file', 'encrypted']).nullable(),
  hostKeyFingerprint: z.string().nullable(),
  capacity: z.number(),
  status: z.enum(hostStatuses),
  agentsPlaced: z.number(),
  freeCapacity: z.number(),
  lastStats: hostStatsOutput.nullable(),
  lastSeenAt: isoDate().nullable(),
  lastError: z.string().nullable(),
  createdAt: isoDate(),
});

export type HostOutput = z.infer<typeof hostOutput>;

export const removedHostOutput = z.object({ id: z.string(), removed: z.literal(true) });

/** An admin's evacuation of a draining host: how many agents move at once. */
export const evacuateHostInput = z.strictObject({
  id: z.string().min(1).max(64),
  batchSize: z.number().int().min(1).max(50).default(5),
});

/** A host's evacuation: progress, and each agent that could not be moved with why. */
export const evacuationOutput = z.object({
  id: z.string(),
  hostId: z.string(),
  batchSize: z.number(),
  status: z.enum(evacuationStatuses),
  total: z.number(),
  moved: z.number(),
  failed: z.number(),
  /** Waiting for their batch or being moved now. */
  remaining: z.number(),
  createdAt: isoDate(),
  endedAt: isoDate().nullable(),
  failures: z.array(z.object({ agentId: z.string(), username: z.string(), message: z.string().nullable() })),
});
