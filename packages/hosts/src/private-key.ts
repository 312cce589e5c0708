import { open, parseKeySetting, SEALED_PREFIX, SealedSecretError, seal } from './sealed-secret';

/**
 * The one format of a host's SSH private key stored in the database: a sealed secret (./sealed-secret,
 * AES-256-GCM) under HOST_KEY_ENCRYPTION_KEY, bound to its purpose.
 * The admin API encrypts with it (packages/core) and the ssh transport decrypts with it.
 *
 * Exported on its own as `@pocket-smyth/hosts/private-key`: node:crypto only, so importing it pulls
 * in neither ssh2 nor the transports. It never reads the environment; callers pass the key.
 */

/** The name of the setting that holds the key (the worker's and the web app's env.ts read it). */
export const HOST_KEY_ENCRYPTION_KEY_ENV = 'HOST_KEY_ENCRYPTION_KEY';

/** Every encrypted key starts with this (the format's version). */
export const ENCRYPTED_PRIVATE_KEY_PREFIX = SEALED_PREFIX;

// Binds every ciphertext to its purpose: a blob made for something else will not decrypt as a key.
const ASSOCIATED_DATA = 'pocket-smyth/host-private-key/v1';

/** A new random key for HOST_KEY_ENCRYPTION_KEY, as base64. */
export { generateEncryptionKey } from './sealed-secret';

/** HOST_KEY_ENCRYPTION_KEY's value: 32 bytes as base64 (44 characters) or hex (64 characters). */
export function parseEncryptionKey(text: string): Buffer {
  return parseKeySetting(text, HOST_KEY_ENCRYPTION_KEY_ENV);
}

/** HOST_KEY_ENCRYPTION_KEY's value, parsed; throws when it is not set (undefined or empty). */
export function requireEncryptionKey(value: string | undefined | null): Buffer {
  if (!value)
    throw new Error(`${HOST_KEY_ENCRYPTION_KEY_ENV} is not set, so encrypted host keys cannot be used`);
  return parseEncryptionKey(value);
}

/** AES-256-GCM: `v1.` + base64url(iv ‖ tag ‖ ciphertext). */
export function encryptPrivateKey(plaintext: string, key: Buffer): string {
  return seal(plaintext, key, ASSOCIATED_DATA);
}

/** Throws when the blob was altered or the key is not the one it was made with. */
export function decryptPrivateKey(ciphertext: string, key: Buffer): string {
  if (!ciphertext.startsWith(ENCRYPTED_PRIVATE_KEY_PREFIX)) {
    throw new Error('not an encrypted host key (expected v1.…)');
  }
  try {
    return open(ciphertext, key, ASSOCIATED_DATA);
  } catch (error) {
    if (error instanceof SealedSecretError && /truncated/.test(error.message)) {
      throw new Error('encrypted host key is truncated');
    }
    throw new Error(
      `cannot decrypt the host key: wrong ${HOST_KEY_ENCRYPTION_KEY_ENV} or altered ciphertext`,
    );
  }
}
