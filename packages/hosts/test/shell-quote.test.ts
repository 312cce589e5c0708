import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteShellArg, quoteShellArgs } from '../src/index';
import { envAssignmentWords, quoteRemotePath } from '../src/shell-quote';
import { hostileArgs, parseEchoedArgs } from './support/fixture-scripts';

const scratch = mkdtempSync(path.join(tmpdir(), 'ps-quote-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('quoteShellArg', () => {
  it('wraps in single quotes and escapes embedded single quotes', () => {
    expect(quoteShellArg('alice')).toBe("'alice'");
    expect(quoteShellArg("it's")).toBe("'it'\\''s'");
    expect(quoteShellArg('')).toBe("''");
  });

  it('survives a real shell: every hostile argument arrives as the exact same bytes', () => {
    const canary = path.join(scratch, 'canary');
    const args = hostileArgs(canary);
    // This is what the SSH server does with a command line: hand it to `sh -c`.
    const stdout = execFileSync('sh', ['-c', `printf '%s\\0' ${quoteShellArgs(args)}`], { encoding: 'utf8' });
    expect(parseEchoedArgs(stdout)).toEqual(args);
    expect(existsSync(canary)).toBe(false);
  });

  it('refuses a NUL byte, which no argv entry can carry', () => {
    expect(() => quoteShellArg('a\0b')).toThrow(/NUL/);
  });
});

describe('envAssignmentWords', () => {
  it('quotes values and refuses names that are not names', () => {
    expect(envAssignmentWords({})).toEqual([]);
    expect(envAssignmentWords({ AGENT_RUNTIME: "do'cker" })).toEqual(['env', "'AGENT_RUNTIME=do'\\''cker'"]);
    expect(() => envAssignmentWords({ 'A;B': 'x' })).toThrow(/invalid environment variable name/);
  });
});

describe('quoteRemotePath', () => {
  it('keeps ~ as the remote home and quotes the rest', () => {
    expect(quoteRemotePath('~/.pocket-smyth/x y')).toBe(`"$HOME"/'.pocket-smyth/x y'`);
    expect(quoteRemotePath('/opt/ps')).toBe("'/opt/ps'");
  });
});
