import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { decryptPrivateKey, ENCRYPTED_PRIVATE_KEY_PREFIX, HOST_KEY_ENCRYPTION_KEY_ENV } from './private-key';

/**
 * Where a host's SSH private key comes from. The database holds one of these, never the key:
 * a path on the worker's machine, or the key encrypted with HOST_KEY_ENCRYPTION_KEY (./private-key).
 */
export const privateKeyReferenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
  z.object({ kind: z.literal('encrypted'), ciphertext: z.string().startsWith(ENCRYPTED_PRIVATE_KEY_PREFIX) }),
]);

export type PrivateKeyReference = z.infer<typeof privateKeyReferenceSchema>;

/**
 * The key's text, read when a connection is made so that a rotated key file is picked up. An
 * encrypted reference needs `encryptionKey` (HOST_KEY_ENCRYPTION_KEY, parsed by the caller).
 */
export async function loadPrivateKey(
  reference: PrivateKeyReference,
  options: { encryptionKey?: Buffer | undefined } = {},
): Promise<string> {
  if (reference.kind === 'file') return readFile(reference.path, 'utf8');
  if (!options.encryptionKey) {
    throw new Error(`${HOST_KEY_ENCRYPTION_KEY_ENV} is not set, so encrypted host keys cannot be used`);
  }
  return decryptPrivateKey(reference.ciphertext, options.encryptionKey);
}
