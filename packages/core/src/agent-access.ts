import type { PersonRole, PersonStatus } from '@pocket-smyth/db';

/**
 * Who may reach `{username}.DOMAIN/agent/*` (SPEC §2). One pure rule shared by the forward-auth
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
 * owner still gets it through the owner rule): dot segments (`..`, `.`, `%2e%2e`, double-encoded),
 * empty segments (`//`), encoded slashes or backslashes (`%2f`, `%5c`), raw backslashes, control
 * characters, and broken percent-encoding.
 */
export function isPublicAgentPath(rawPath: string): boolean {
  const normalized = normalizeAgentPath(rawPath);
  const path = normalized.canonical ? normalized.path : null;
  if (path === null) return false;
  return path === '/agent/public' || path.startsWith('/agent/public/');
}

export interface NormalizedAgentPath {
  /** Fully decoded, dot segments resolved, slashes collapsed; null when it cannot be decoded. */
  path: string | null;
  /** Whether the raw path already was that path, with nothing ambiguous in it. */
  canonical: boolean;
}

const MAX_DECODE_ROUNDS = 4;

export function normalizeAgentPath(raw: string): NormalizedAgentPath {
  // The query and fragment are not part of the path; `?` and `#` cannot appear raw inside one.
  const pathOnly = raw.split(/[?#]/, 1)[0] ?? '';
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
      return { path: null, canonical: false };
    }
    if (next === decoded) break;
    decoded = next;
  }
  // Control characters (NUL included) never belong in a path.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of this check
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return { path: null, canonical: false };
  if (decoded.includes('\\')) canonical = false;

  const segments = decoded.replace(/\\/g, '/').split('/').slice(1);
  const resolved: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === '' && !last) {
      canonical = false; // `//`
      continue;
    }
    if (segment === '.') {
      canonical = false;
      continue;
    }
    if (segment === '..') {
      canonical = false;
      if (resolved.length === 0) return { path: null, canonical: false };
      resolved.pop();
      continue;
    }
    resolved.push(segment);
  }
  const path = `/${resolved.join('/')}`;
  return { path, canonical };
}
