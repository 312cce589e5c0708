import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const CIPHERTEXT_PREFIX = 'v1.';

/**
 * Where a host's SSH private key comes from. The database holds one of these, never the key:
 * a path on the worker's machine, or the key encrypted with HOST_KEY_ENCRYPTION_KEY.
 */
export const privateKeyReferenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
  z.object({ kind: z.literal('encrypted'), ciphertext: z.string().startsWith(CIPHERTEXT_PREFIX) }),
]);

export type PrivateKeyReference = z.infer<typeof privateKeyReferenceSchema>;

export const HOST_KEY_ENCRYPTION_KEY_ENV = 'HOST_KEY_ENCRYPTION_KEY';

const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds every ciphertext to its purpose: a blob made for something else will not decrypt as a key.
const ASSOCIATED_DATA = Buffer.from('pocket-smyth/host-private-key/v1');

/** A new random key for HOST_KEY_ENCRYPTION_KEY, as base64. */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/** HOST_KEY_ENCRYPTION_KEY's value: 32 bytes as base64 (44 characters) or hex (64 characters). */
export function parseEncryptionKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new Error(
      `${HOST_KEY_ENCRYPTION_KEY_ENV} must be 32 bytes, as base64 or hex (openssl rand -base64 32)`,
    );
  }
  return key;
}

export function encryptionKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  const value = env[HOST_KEY_ENCRYPTION_KEY_ENV];
  if (!value)
    throw new Error(`${HOST_KEY_ENCRYPTION_KEY_ENV} is not set, so encrypted host keys cannot be used`);
  return parseEncryptionKey(value);
}

/** AES-256-GCM: `v1.` + base64url(iv ‖ tag ‖ ciphertext). */
export function encryptPrivateKey(plaintext: string, key: Buffer = encryptionKeyFromEnv()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(ASSOCIATED_DATA);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${CIPHERTEXT_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Throws when the blob was altered or the key is not the one it was made with. */
export function decryptPrivateKey(ciphertext: string, key: Buffer = encryptionKeyFromEnv()): string {
  if (!ciphertext.startsWith(CIPHERTEXT_PREFIX)) throw new Error('not an encrypted host key (expected v1.…)');
  const raw = Buffer.from(ciphertext.slice(CIPHERTEXT_PREFIX.length), 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new Error('encrypted host key is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(ASSOCIATED_DATA);
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new Error('cannot decrypt the host key: wrong HOST_KEY_ENCRYPTION_KEY or altered ciphertext');
  }
}

/** The key's text, read when a connection is made so that a rotated key file is picked up. */
export async function loadPrivateKey(
  reference: PrivateKeyReference,
  options: { encryptionKey?: Buffer } = {},
): Promise<string> {
  if (reference.kind === 'file') return readFile(reference.path, 'utf8');
  return decryptPrivateKey(reference.ciphertext, options.encryptionKey ?? encryptionKeyFromEnv());
}
