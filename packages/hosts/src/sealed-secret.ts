import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The one way Pocket Smyth stores a secret in its database: AES-256-GCM under a 32-byte key from the
 * environment, as `v1.` + base64url(iv ‖ tag ‖ ciphertext), bound to its purpose (and, where the caller
 * gives one, to the row it belongs to) by the associated data, so a blob copied to another purpose or
 * row does not decrypt. Host SSH keys (./private-key, HOST_KEY_ENCRYPTION_KEY) and agents' environment
 * variables (AGENT_SECRETS_KEY, packages/core/src/agent-env.ts) both use it.
 *
 * Exported as `@pocket-smyth/hosts/sealed-secret`: node:crypto only, no ssh2, and it never reads the
 * environment; callers pass the key.
 */

/** Every sealed secret starts with this (the format's version). */
export const SEALED_PREFIX = 'v1.';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A failed open: wrong key, altered or truncated blob, or not a sealed secret at all. */
export class SealedSecretError extends Error {
  override readonly name = 'SealedSecretError';
}

/** A new random 32-byte key, as base64 (what `openssl rand -base64 32` prints). */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/** A key setting's value: 32 bytes as base64 (44 characters) or hex (64 characters). */
export function parseKeySetting(text: string, settingName: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new Error(`${settingName} must be 32 bytes, as base64 or hex (openssl rand -base64 32)`);
  }
  return key;
}

/** AES-256-GCM with a fresh IV: `v1.` + base64url(iv ‖ tag ‖ ciphertext). */
export function seal(plaintext: string, key: Buffer, associatedData: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${SEALED_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Throws SealedSecretError when the blob was altered, belongs elsewhere or the key is not its own. */
export function open(sealed: string, key: Buffer, associatedData: string): string {
  if (!sealed.startsWith(SEALED_PREFIX)) throw new SealedSecretError('not a sealed secret (expected v1.…)');
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new SealedSecretError('the sealed secret is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealedSecretError('wrong key or altered ciphertext');
  }
}
