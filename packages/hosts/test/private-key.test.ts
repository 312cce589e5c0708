import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decryptPrivateKey,
  encryptPrivateKey,
  generateEncryptionKey,
  loadPrivateKey,
  parseEncryptionKey,
  privateKeyReferenceSchema,
  requireEncryptionKey,
} from '../src/index';

const dir = mkdtempSync(path.join(tmpdir(), 'ps-privkey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PEM =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

describe('encrypted private keys', () => {
  const key = parseEncryptionKey(generateEncryptionKey());

  it('round-trip, and the ciphertext does not contain the key', () => {
    const blob = encryptPrivateKey(PEM, key);
    expect(blob.startsWith('v1.')).toBe(true);
    expect(blob).not.toContain('OPENSSH');
    expect(decryptPrivateKey(blob, key)).toBe(PEM);
    // A fresh IV each time: equal keys do not give equal blobs.
    expect(encryptPrivateKey(PEM, key)).not.toBe(blob);
  });

  it('refuse a wrong key and an altered blob', () => {
    const blob = encryptPrivateKey(PEM, key);
    expect(() => decryptPrivateKey(blob, parseEncryptionKey(generateEncryptionKey()))).toThrow(
      /cannot decrypt/,
    );
    const raw = Buffer.from(blob.slice(3), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => decryptPrivateKey(`v1.${raw.toString('base64url')}`, key)).toThrow(/cannot decrypt/);
    expect(() => decryptPrivateKey('plain text', key)).toThrow(/not an encrypted host key/);
  });

  it('take HOST_KEY_ENCRYPTION_KEY as base64 or hex, 32 bytes only', () => {
    const hex = 'ab'.repeat(32);
    expect(parseEncryptionKey(hex)).toEqual(Buffer.from(hex, 'hex'));
    expect(requireEncryptionKey(hex)).toEqual(Buffer.from(hex, 'hex'));
    expect(() => parseEncryptionKey('c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => requireEncryptionKey(undefined)).toThrow(/not set/);
    expect(() => requireEncryptionKey('')).toThrow(/not set/);
  });

  it('load from either kind of reference', async () => {
    const file = path.join(dir, 'id_ed25519');
    writeFileSync(file, PEM);
    expect(await loadPrivateKey({ kind: 'file', path: file })).toBe(PEM);
    const reference = privateKeyReferenceSchema.parse({
      kind: 'encrypted',
      ciphertext: encryptPrivateKey(PEM, key),
    });
    expect(await loadPrivateKey(reference, { encryptionKey: key })).toBe(PEM);
    // Never from the environment: an encrypted reference without the key is refused.
    await expect(loadPrivateKey(reference)).rejects.toThrow(/HOST_KEY_ENCRYPTION_KEY is not set/);
    expect(privateKeyReferenceSchema.safeParse({ kind: 'encrypted', ciphertext: PEM }).success).toBe(false);
  });
});

describe('the @pocket-smyth/hosts/private-key subpath', () => {
  it('is the same module as the package entry, and pulls in neither ssh2 nor zod', async () => {
    const subpath = await import('@pocket-smyth/hosts/private-key');
    expect(subpath.encryptPrivateKey).toBe(encryptPrivateKey);
    expect(subpath.HOST_KEY_ENCRYPTION_KEY_ENV).toBe('HOST_KEY_ENCRYPTION_KEY');
    // It and the sealing it is built on (shared with the agents' environment variables).
    const source = readFileSync(new URL('../src/private-key.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['./sealed-secret']);
    expect(source).not.toMatch(/process\.env/);
    const sealing = readFileSync(new URL('../src/sealed-secret.ts', import.meta.url), 'utf8');
    expect([...sealing.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual(['node:crypto']);
    expect(sealing).not.toMatch(/process\.env/);
  });
});
