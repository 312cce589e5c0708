/**
 * `/agent/public/*` is open to strangers, so the path check is the whole boundary between a person's
 * public pages and their private agent. Every path below is one that the agent's server, the reverse
 * proxy or a framework along the way could read as leaving `/agent/public` (or cannot read at all):
 * each must be refused as public (a stranger falls back to 401/403), never throw, and leave the
 * owner's own access exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import {
  type AgentAccessInput,
  type AgentAccessViewer,
  decideAgentAccess,
  isPublicAgentPath,
  normalizeAgentPath,
} from '../src/agent-access';

const alice: AgentAccessViewer = { id: 'u-alice', username: 'alice', role: 'user', status: 'active' };
const bob: AgentAccessViewer = { id: 'u-bob', username: 'bob', role: 'user', status: 'active' };

function decide(viewer: AgentAccessViewer | null, path: string) {
  const input: AgentAccessInput = {
    viewer,
    agentOwnerUsername: 'alice',
    path,
    publicUrlEnabled: true,
    ownerStatus: 'active',
  };
  return decideAgentAccess(input);
}

/** [what it is, the path as the client sent it (X-Forwarded-Uri)]. */
const hostile: [string, string][] = [
  // Unicode look-alikes of the dot, which NFKC or a confusables fold turns into `.` or `..`.
  ['U+2025 TWO DOT LEADER', '/agent/public/%E2%80%A5/secret'],
  ['U+2025, lower-case hex', '/agent/public/%e2%80%a5/secret'],
  ['U+2024 ONE DOT LEADER twice', '/agent/public/%E2%80%A4%E2%80%A4/secret'],
  ['U+2024 ONE DOT LEADER alone (a `.` segment)', '/agent/public/%E2%80%A4/secret'],
  ['U+2024 beside a real dot', '/agent/public/.%E2%80%A4/secret'],
  ['U+FF0E FULLWIDTH FULL STOP twice', '/agent/public/%EF%BC%8E%EF%BC%8E/secret'],
  ['U+FF0E beside a real dot', '/agent/public/%EF%BC%8E./secret'],
  ['U+3002 IDEOGRAPHIC FULL STOP twice', '/agent/public/%E3%80%82%E3%80%82/secret'],
  ['U+FF61 HALFWIDTH IDEOGRAPHIC FULL STOP twice', '/agent/public/%EF%BD%A1%EF%BD%A1/secret'],
  ['U+FE52 SMALL FULL STOP twice', '/agent/public/%EF%B9%92%EF%B9%92/secret'],
  ['U+2026 HORIZONTAL ELLIPSIS (NFKC `...`)', '/agent/public/%E2%80%A6/secret'],
  ['U+2025 double-encoded', '/agent/public/%25E2%2580%25A5/secret'],
  ['U+2025 then a FULLWIDTH SOLIDUS (NFKC `../`)', '/agent/public/%E2%80%A5%EF%BC%8Fsecret'],
  ['`..` then a FULLWIDTH SOLIDUS', '/agent/public/..%EF%BC%8Fsecret'],
  ['`..` then a FULLWIDTH REVERSE SOLIDUS', '/agent/public/..%EF%BC%BCsecret'],
  ['`..` then U+2215 DIVISION SLASH', '/agent/public/..%E2%88%95secret'],
  ['dots with a zero-width space between', '/agent/public/.%E2%80%8B./secret'],
  ['dots with a combining mark (stripped by accent folding)', '/agent/public/.%CC%81./secret'],
  ['`..` then U+00A0 NO-BREAK SPACE', '/agent/public/..%C2%A0/secret'],
  ['`..` then U+FF1B FULLWIDTH SEMICOLON (NFKC `;`)', '/agent/public/..%EF%BC%9Bx/secret'],
  [
    'FULLWIDTH `％２ｅ％２ｅ` (NFKC `%2e%2e`)',
    '/agent/public/%EF%BC%85%EF%BC%92%EF%BD%85%EF%BC%85%EF%BC%92%EF%BD%85/secret',
  ],
  ['U+2025 raw (not percent-encoded)', '/agent/public/\u2025/secret'],
  ['U+2025 as raw UTF-8 bytes read as Latin-1', '/agent/public/\u00e2\u0080\u00a5/secret'],
  // `;` path parameters: Tomcat, Spring and some proxies drop `;…` from a segment.
  ['`..;`', '/agent/public/..;/secret'],
  ['`..;jsessionid=`', '/agent/public/..;jsessionid=abc/secret'],
  ['`..;a=1;b=2`', '/agent/public/..;a=1;b=2/secret'],
  ['`.;`', '/agent/public/.;/secret'],
  ['`.;.` (`..` once the `;` is dropped)', '/agent/public/.;./secret'],
  ['`..%3b` (encoded `;`)', '/agent/public/..%3b/secret'],
  ['`..%253b` (double-encoded `;`)', '/agent/public/..%253b/secret'],
  ['U+2025 with `;`', '/agent/public/%E2%80%A5;x/secret'],
  // Percent-encoded and multiply encoded dots and slashes.
  ['plain `..`', '/agent/public/../secret'],
  ['`%2e%2e`', '/agent/public/%2e%2e/secret'],
  ['`%2e` (a `.` segment)', '/agent/public/%2e/secret'],
  ['`%252e%252e` (double-encoded)', '/agent/public/%252e%252e/secret'],
  ['`%25252e%25252e` (triple-encoded)', '/agent/public/%25252e%25252e/secret'],
  ['`%2f` around `..`', '/agent/public%2f..%2fsecret'],
  ['`%252f` around `..`', '/agent/public/x%252f..%252f..%252fsecret'],
  ['nested encoding `%%32%65`', '/agent/public/%%32%65%%32%65/secret'],
  ['IIS `%u002e`', '/agent/public/%u002e%u002e/secret'],
  // Overlong UTF-8 forms of `.`, `/` and `\` (and broken encoding).
  ['overlong 2-byte dot `%C0%AE`', '/agent/public/%C0%AE%C0%AE/secret'],
  ['overlong 3-byte dot `%E0%80%AE`', '/agent/public/%E0%80%AE/secret'],
  ['overlong 4-byte dot', '/agent/public/%F0%80%80%AE%F0%80%80%AE/secret'],
  ['overlong slash `%C0%AF`', '/agent/public/..%C0%AFsecret'],
  ['overlong backslash `%C1%9C`', '/agent/public/..%C1%9Csecret'],
  ['invalid byte `%FF`', '/agent/public/%FF'],
  ['encoded lone surrogate', '/agent/public/%ED%A0%80'],
  ['lone `%`', '/agent/public/%'],
  ['truncated `%2`', '/agent/public/%2'],
  // Backslashes and repeated slashes.
  ['`..\\`', '/agent/public/..\\secret'],
  ['`\\..\\`', '/agent/public\\..\\secret'],
  ['`..%5c`', '/agent/public/..%5csecret'],
  ['`//` before the prefix', '//agent/public/x'],
  ['`//` inside the prefix', '/agent//public/x'],
  ['`..` after `//`', '/agent/public//../secret'],
  // Whitespace that Windows-style servers trim, NUL and control characters.
  ['`.. ` (trailing space)', '/agent/public/.. /secret'],
  ['`..%20`', '/agent/public/..%20/secret'],
  ['`%20..`', '/agent/public/%20../secret'],
  ['`..` then U+3000 IDEOGRAPHIC SPACE', '/agent/public/..%E3%80%80/secret'],
  ['`..%00`', '/agent/public/..%00/secret'],
  ['`%00..`', '/agent/public/%00../secret'],
  ['`..%09` (tab)', '/agent/public/..%09/secret'],
  ['`..%0d%0a`', '/agent/public/..%0d%0a/secret'],
  ['U+0085 NEXT LINE between dots', '/agent/public/.%C2%85./secret'],
  ['raw NUL', '/agent/public/..\u0000/secret'],
  // Other spellings of a dot segment.
  ['`...`', '/agent/public/.../secret'],
  ['`....`', '/agent/public/..../secret'],
  ['`./` (a `.` segment)', '/agent/public/./x'],
  ['climbing out from deeper', '/agent/public/a/b/../../../secret'],
  ['`..` then the query', '/agent/public/..?x=1'],
  ['a raw `#` (not a fragment to every server)', '/agent/public/x#/../../secret'],
  ['encoded `?` then `..`', '/agent/public/x%3F/../../secret'],
];

const benign = [
  '/agent/public',
  '/agent/public/',
  '/agent/public/a/b.css',
  '/agent/public/x?y=../z',
  '/agent/public/x?y=%2e%2e%2fz#frag',
  '/agent/public/a%20b',
  '/agent/public/caf%C3%A9.html',
  '/agent/public/.well-known/x',
  '/agent/public/..foo/bar',
  '/agent/public/%E2%80%A5foo',
  '/agent/public/a;b',
];

describe('hostile paths are never public', () => {
  it('has a table of at least 40 of them', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(40);
    expect(new Set(hostile.map(([, path]) => path)).size).toBe(hostile.length);
  });

  it.each(hostile)('%s: %s', (_what, path) => {
    expect(() => normalizeAgentPath(path)).not.toThrow();
    expect(isPublicAgentPath(path)).toBe(false);
    expect(decide(null, path)).toEqual({ status: 401, reason: 'signed_out' });
    expect(decide(bob, path)).toEqual({ status: 403, reason: 'not_owner' });
    // The owner's own access does not depend on the path.
    expect(decide(alice, path)).toEqual({ status: 200, reason: 'owner' });
  });
});

describe('plain public paths stay public', () => {
  it.each(benign)('%s', (path) => {
    expect(isPublicAgentPath(path)).toBe(true);
    expect(decide(null, path)).toEqual({ status: 200, reason: 'public' });
    expect(decide(bob, path)).toEqual({ status: 200, reason: 'public' });
    expect(decide(alice, path)).toEqual({ status: 200, reason: 'public' });
  });
});

describe('normalizeAgentPath reads look-alikes the way a normalising server would', () => {
  it.each([
    ['/agent/public/%E2%80%A5/secret', '/agent/secret'],
    ['/agent/public/..;/secret', '/agent/secret'],
    ['/agent/public/%EF%BC%8E%EF%BC%8E/secret', '/agent/secret'],
    ['/agent/public/%E3%80%82/x', '/agent/public/x'],
  ])('%s reads as %s, and is not canonical', (raw, path) => {
    expect(normalizeAgentPath(raw)).toEqual({ path, canonical: false });
  });

  it('gives up (path null) on what cannot be decoded, without throwing', () => {
    for (const raw of ['/agent/public/%FF', '/agent/public/%E0%80%AE', '/agent/public/%C0%AE', '/a/%']) {
      expect(normalizeAgentPath(raw), raw).toEqual({ path: null, canonical: false });
    }
  });
});
