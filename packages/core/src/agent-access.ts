import type { PersonRole, PersonStatus } from '@pocket-smyth/db';

/**
 * Who may reach `{username}.DOMAIN/agent/*` (docs/ARCHITECTURE.md, "Hostnames"). One pure rule shared by the forward-auth
 * endpoint Traefik asks, the app's own `/agent/*` proxy in local mode, and its WebSocket upgrade.
 *
 * - the owner, while active → 200
 * - anyone (signed in or not) on `/agent/public` or `/agent/public/*` while the owner's public toggle
 *   is on and the owner is active → 200
 * - nobody signed in → 401
 * - anyone else → 403. That includes admins: an admin may VIEW another person's portal read-only
 *   (`{username}.DOMAIN`, see the app's proxy), but may NOT use their agent: the agent holds the
 *   person's own data and acts as them, so reading it is not "viewing the portal".
 */
export type AgentAccessStatus = 200 | 401 | 403;

export interface AgentAccessViewer {
  id: string;
  username: string | null;
  role: PersonRole;
  status: PersonStatus;
}

export interface AgentAccessInput {
  viewer: AgentAccessViewer | null;
  agentOwnerUsername: string;
  /** The request path as the client sent it (`X-Forwarded-Uri`), query string allowed. */
  path: string;
  publicUrlEnabled: boolean;
  ownerStatus: PersonStatus;
}

export interface AgentAccessDecision {
  status: AgentAccessStatus;
  reason: 'owner' | 'public' | 'signed_out' | 'not_owner' | 'owner_inactive' | 'viewer_inactive';
}

export function decideAgentAccess(input: AgentAccessInput): AgentAccessDecision {
  const { viewer, agentOwnerUsername, path, publicUrlEnabled, ownerStatus } = input;
  const ownerActive = ownerStatus === 'active';
  if (ownerActive && publicUrlEnabled && isPublicAgentPath(path)) return { status: 200, reason: 'public' };
  if (!viewer) return { status: 401, reason: 'signed_out' };
  const isOwner =
    viewer.username !== null && viewer.username.toLowerCase() === agentOwnerUsername.toLowerCase();
  if (!isOwner) return { status: 403, reason: 'not_owner' };
  if (viewer.status !== 'active') return { status: 403, reason: 'viewer_inactive' };
  if (!ownerActive) return { status: 403, reason: 'owner_inactive' };
  return { status: 200, reason: 'owner' };
}

/**
 * True only for a path that is plainly `/agent/public` or under `/agent/public/`: one that every
 * server along the way reads the same. Anything that could be read two ways is never public (the
 * owner still gets it through the owner rule); see `normalizeAgentPath` for what counts.
 */
export function isPublicAgentPath(rawPath: string): boolean {
  const normalized = normalizeAgentPath(rawPath);
  const path = normalized.canonical ? normalized.path : null;
  if (path === null) return false;
  return path === '/agent/public' || path.startsWith('/agent/public/');
}

export interface NormalizedAgentPath {
  /**
   * Fully decoded, with dot segments (and anything a normalising server reads as one) resolved and
   * slashes collapsed; null when it cannot be decoded or climbs above the root.
   */
  path: string | null;
  /** Whether the raw path already was that path, with nothing ambiguous in it. */
  canonical: boolean;
}

const MAX_DECODE_ROUNDS = 4;

/**
 * Characters that some server, proxy or framework reads as `.` after NFKC (U+2024, U+FF0E, U+FE52
 * and U+FF61/U+FE12 via U+3002 are folded by NFKC itself; U+2025 and U+2026 become `..` and `...`)
 * or through a confusables/look-alike fold: U+3002 IDEOGRAPHIC FULL STOP, Syriac, Vai, Arabic and
 * Lisu full stops, Arabic-Indic zeros, Kharoshthi's dot, and the middle dots.
 */
const DOT_LOOKALIKES =
  /[\u3002\u0701\u0702\uA60E\u06D4\u0660\u06F0\uA4F8\u{10A50}\u00B7\u0387\u2027\u2219\u22C5\u30FB\u2E31\u2E33]/gu;

/** Slashes, real and look-alike (NFKC already turned U+FF0F into `/`, U+FF3C and U+FE68 into `\`). */
const SLASH_LIKE = /[/\\\u2215\u2044\u29F8\u29F9\u2216\u2571\u2572]/u;

/**
 * Reads a path the way the servers behind the proxy might, and says whether that reading is
 * unambiguous. The query string is not part of the path. A path is not canonical when:
 *
 * - it is not absolute, or holds raw characters outside printable ASCII (a server may read raw bytes
 *   as Latin-1 or as UTF-8) or a raw `#` (a fragment to some servers, part of the path to others);
 * - it holds an encoded `.`, `/` or `\` at any level of percent-decoding (decoded until stable, so
 *   `%252e` counts), or a raw `\`;
 * - any segment is empty (`//`), or is, or normalises to, a dot segment: `.`, `..` or more dots,
 *   after NFKC (U+2024, U+2025, U+2026, U+FF0E, U+FE52, …), a look-alike fold (U+3002, …), dropping
 *   accents, zero-width and other invisible characters, `;params` (Tomcat, Spring and some proxies
 *   drop `;…` from a segment) and surrounding whitespace (trimmed by Windows-style servers), and
 *   splitting on look-alike slashes (U+FF0F, U+2215, …).
 *
 * Broken percent-encoding, overlong UTF-8 (`%C0%AE`, `%E0%80%AE`), encoded surrogates, IIS `%u…`,
 * more than four levels of encoding, and NUL or any other control character give `path: null`.
 * Never throws.
 */
export function normalizeAgentPath(raw: string): NormalizedAgentPath {
  const query = raw.indexOf('?');
  const pathOnly = query < 0 ? raw : raw.slice(0, query);
  if (!/^[\x21-\x7e]*$/.test(pathOnly) || pathOnly.includes('#')) return { path: null, canonical: false };
  let canonical = pathOnly.startsWith('/');

  // Decode until stable, so double-encoding (`%252e`) cannot hide a dot segment or a slash.
  let decoded = pathOnly;
  for (let round = 0; ; round++) {
    if (round >= MAX_DECODE_ROUNDS) return { path: null, canonical: false };
    // An encoded slash, backslash or dot at any level makes the path ambiguous.
    if (/%(2f|5c|2e)/i.test(decoded)) canonical = false;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      // Broken or overlong UTF-8, an encoded surrogate, a lone `%`, `%u002e`.
      return { path: null, canonical: false };
    }
    if (next === decoded) break;
    decoded = next;
  }
  // Control characters (NUL, C1 such as U+0085, line and paragraph separators) never belong in a path.
  if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(decoded)) return { path: null, canonical: false };
  if (decoded.includes('\\')) canonical = false;

  const segments = decoded.replace(/\\/g, '/').split('/').slice(1);
  const resolved: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === '' && !last) {
      canonical = false; // `//`
      continue;
    }
    const reading = readSegment(segment);
    if (reading.ambiguous) canonical = false;
    if (reading.dots === 1) continue;
    if (reading.dots >= 2) {
      if (resolved.length === 0) return { path: null, canonical: false };
      resolved.pop();
      continue;
    }
    resolved.push(segment);
  }
  return { path: `/${resolved.join('/')}`, canonical };
}

/**
 * How a normalising server could read one decoded segment: as a dot segment (`dots` is how many dots,
 * 0 when it is not one), and whether any reading differs from the plain one in a way that matters
 * (a dot segment, or a part that vanishes, such as `;x` or `.;`).
 */
function readSegment(segment: string): { dots: number; ambiguous: boolean } {
  const folded = segment
    .normalize('NFKC')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents and other combining marks, dropped by an ASCII fold
    .replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu, '') // zero-width and invisible characters
    .replace(DOT_LOOKALIKES, '.')
    .normalize('NFKC');
  let dots = 0;
  // A `%` can only be here through a look-alike (U+FF05 FULLWIDTH PERCENT SIGN): a server that folds
  // it may then decode `%2e` once more.
  let ambiguous = folded.includes('%');
  for (const part of folded.split(SLASH_LIKE)) {
    const semicolon = part.indexOf(';');
    // The part as it is, without its `;params`, and with every `;` dropped.
    const readings = semicolon < 0 ? [part] : [part, part.slice(0, semicolon), part.replace(/;/g, '')];
    for (const reading of readings) {
      const bare = reading.replace(/\s/gu, '');
      if (/^\.+$/.test(bare)) {
        dots = Math.max(dots, bare.length);
        ambiguous = true;
      } else if (bare === '' && segment !== '') {
        ambiguous = true;
      }
    }
  }
  return { dots, ambiguous };
}
