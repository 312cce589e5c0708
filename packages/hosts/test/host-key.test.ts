import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintPublicKeyLine, isHostKeyFingerprint, normalizeHostKeyFingerprint } from '../src/index';
import { generateKeyPairFiles } from '../src/testing/test-keys';

const dir = mkdtempSync(path.join(tmpdir(), 'ps-hostkey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host key fingerprints', () => {
  it('match what `ssh-keygen -lf` prints for the same key', () => {
    const file = path.join(dir, 'key');
    const { publicKeyLine } = generateKeyPairFiles(file, 'test');
    const printed = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprintPublicKeyLine(publicKeyLine)).toBe(printed);
    expect(isHostKeyFingerprint(printed ?? '')).toBe(true);
  });

  it('read ssh-keyscan lines too', () => {
    const file = path.join(dir, 'scan');
    const { publicKeyLine } = generateKeyPairFiles(file, 'scan');
    const scanned = `127.0.0.1 ${publicKeyLine.split(' ').slice(0, 2).join(' ')}`;
    expect(fingerprintPublicKeyLine(scanned)).toBe(
      fingerprintPublicKeyLine(readFileSync(`${file}.pub`, 'utf8')),
    );
  });

  it('normalize the padded form and refuse anything else', () => {
    const canonical = `SHA256:${'a'.repeat(43)}`;
    expect(normalizeHostKeyFingerprint(` ${canonical}= `)).toBe(canonical);
    expect(() => normalizeHostKeyFingerprint('MD5:aa:bb')).toThrow(/SHA256/);
    expect(() => fingerprintPublicKeyLine('not a key')).toThrow();
  });
});
