import { z } from 'zod';
import { HOST_KEY_FINGERPRINT } from './host-key';
import { privateKeyReferenceSchema } from './private-key-reference';

const envSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string());

const common = {
  id: z.string().min(1),
  name: z.string().min(1),
  capacity: z.number().int().nonnegative(),
  status: z.enum(['active', 'draining']),
  /** Set for every script on the host: AGENT_RUNTIME, AGENT_STATE_DIR, AGENT_DOCKER_NETWORK, … */
  env: envSchema.optional(),
  commandTimeoutMs: z.number().int().positive().optional(),
};

/** A host as the worker sees it (docs/ARCHITECTURE.md, "Hosts"): the row, with the key as a reference, never the key. */
export const hostConfigSchema = z.discriminatedUnion('transport', [
  z.object({ ...common, transport: z.literal('local') }),
  z.object({
    ...common,
    transport: z.literal('ssh'),
    address: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().min(1),
    privateKey: privateKeyReferenceSchema,
    hostKeyFingerprint: z.string().regex(HOST_KEY_FINGERPRINT),
    maxChannels: z.number().int().min(1).max(64).optional(),
    /** Where script bundles live on the host; `~/.pocket-smyth/host-scripts` by default. */
    scriptsRoot: z.string().min(1).optional(),
    connectTimeoutMs: z.number().int().positive().optional(),
  }),
]);

export type HostConfig = z.input<typeof hostConfigSchema>;
export type ParsedHostConfig = z.output<typeof hostConfigSchema>;
