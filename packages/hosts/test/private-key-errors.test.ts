/**
 * A host whose private key cannot be loaded is a configuration error on our side (the host was never
 * asked), not a key the host refused: `host_misconfigured`, permanent, with the detail for admins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  encryptPrivateKey,
  generateEncryptionKey,
  HostError,
  parseEncryptionKey,
  SshTransport,
  type SshTransportOptions,
} from '../src/index';
import { generateKeyPairFiles } from '../src/testing/test-keys';

const unreachable: Omit<SshTransportOptions, 'privateKey'> = {
  host: '127.0.0.1',
  port: 1,
  username: 'root',
  hostKeyFingerprint: `SHA256:${'A'.repeat(43)}`,
  connectTimeoutMs: 2_000,
};

const scratch = mkdtempSync(path.join(tmpdir(), 'ps-key-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function failureOf(options: SshTransportOptions): Promise<HostError> {
  const transport = new SshTransport(options);
  try {
    const error = await transport.exec('host-stats', []).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HostError);
    return error as HostError;
  } finally {
    await transport.close();
  }
}

describe('a private key that cannot be loaded', () => {
  it('is host_misconfigured and permanent when the key file is missing', async () => {
    const error = await failureOf({
      ...unreachable,
      privateKey: { kind: 'file', path: '/nonexistent/id_ed25519' },
    });
    expect(error.errorClass).toBe('host_misconfigured');
    expect(error.transient).toBe(false);
    // The detail is for admins: which host and which file.
    expect(error.message).toContain('root@127.0.0.1:1');
    expect(error.message).toContain('/nonexistent/id_ed25519');
  });

  it('is host_misconfigured when the key is encrypted but HOST_KEY_ENCRYPTION_KEY is not set, or is another one', async () => {
    const key = parseEncryptionKey(generateEncryptionKey());
    const { privateKey } = generateKeyPairFiles(path.join(scratch, 'id_ed25519'), 'key-errors');
    const ciphertext = encryptPrivateKey(privateKey, key);
    const unset = await failureOf({ ...unreachable, privateKey: { kind: 'encrypted', ciphertext } });
    expect([unset.errorClass, unset.transient]).toEqual(['host_misconfigured', false]);
    const other = await failureOf({
      ...unreachable,
      privateKey: { kind: 'encrypted', ciphertext },
      encryptionKey: parseEncryptionKey(generateEncryptionKey()),
    });
    expect([other.errorClass, other.transient]).toEqual(['host_misconfigured', false]);
    expect(other.message).toMatch(/cannot decrypt/);
  });
});
