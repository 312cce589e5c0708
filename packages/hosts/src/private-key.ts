import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The one format of a host's SSH private key stored in the database: AES-256-GCM under
 * HOST_KEY_ENCRYPTION_KEY, as `v1.` + base64url(iv ‖ tag ‖ ciphertext), bound to its purpose.
 * The admin API encrypts with it (packages/core) and the ssh transport decrypts with it.
 *
 * Exported on its own as `@pocket-smyth/hosts/private-key`: node:crypto only, so importing it pulls
 * in neither ssh2 nor the transports. It never reads the environment; callers pass the key.
 */

/** The name of the setting that holds the key (the worker's and the web app's env.ts read it). */
export const HOST_KEY_ENCRYPTION_KEY_ENV = 'HOST_KEY_ENCRYPTION_KEY';

/** Every encrypted key starts with this (the format's version). */
export const ENCRYPTED_PRIVATE_KEY_PREFIX = 'v1.';

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

/** HOST_KEY_ENCRYPTION_KEY's value, parsed; throws when it is not set (undefined or empty). */
export function requireEncryptionKey(value: string | undefined | null): Buffer {
  if (!value)
    throw new Error(`${HOST_KEY_ENCRYPTION_KEY_ENV} is not set, so encrypted host keys cannot be used`);
  return parseEncryptionKey(value);
}

/** AES-256-GCM: `v1.` + base64url(iv ‖ tag ‖ ciphertext). */
export function encryptPrivateKey(plaintext: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(ASSOCIATED_DATA);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${ENCRYPTED_PRIVATE_KEY_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Throws when the blob was altered or the key is not the one it was made with. */
export function decryptPrivateKey(ciphertext: string, key: Buffer): string {
  if (!ciphertext.startsWith(ENCRYPTED_PRIVATE_KEY_PREFIX)) {
    throw new Error('not an encrypted host key (expected v1.…)');
  }
  const raw = Buffer.from(ciphertext.slice(ENCRYPTED_PRIVATE_KEY_PREFIX.length), 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new Error('encrypted host key is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(ASSOCIATED_DATA);
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new Error(
      `cannot decrypt the host key: wrong ${HOST_KEY_ENCRYPTION_KEY_ENV} or altered ciphertext`,
    );
  }
}
