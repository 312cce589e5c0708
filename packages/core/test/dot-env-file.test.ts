import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fillFromDotEnvFile } from '../src/env';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function dotEnv(text: string): string {
  dir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-dotenv-'));
  const file = path.join(dir, '.env');
  writeFileSync(file, text);
  return file;
}

describe('fillFromDotEnvFile', () => {
  it('fills what the environment leaves unset, and the environment wins', () => {
    const file = dotEnv(
      '# a comment\nPORT=3917\nPORTAL_URL="http://localhost:3917"\nAUTH_SECRET=from-file\nEMPTY=\n',
    );
    const target: Record<string, string | undefined> = { AUTH_SECRET: 'from-environment' };
    expect(fillFromDotEnvFile(file, target).sort()).toEqual(['EMPTY', 'PORT', 'PORTAL_URL']);
    expect(target).toEqual({
      AUTH_SECRET: 'from-environment',
      PORT: '3917',
      PORTAL_URL: 'http://localhost:3917',
      EMPTY: '',
    });
  });

  it('does nothing without a file', () => {
    const target = {};
    expect(fillFromDotEnvFile(path.join(tmpdir(), 'no-such-dir-xyz', '.env'), target)).toEqual([]);
    expect(target).toEqual({});
  });
});
