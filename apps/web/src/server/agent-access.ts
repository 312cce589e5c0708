import 'server-only';
import {
  hostSessionCookie,
  LEGACY_DOMAIN_SESSION_COOKIES,
  SESSION_MAX_AGE_SECONDS,
  SESSION_UPDATE_AGE_SECONDS,
  sessionCookie,
} from '@pocket-smyth/auth';
import {
  type AgentAccessDecision,
  type AgentAccessViewer,
  decideAgentAccess,
  extendHostSession,
  hashHostSecret,
  isValidUsername,
} from '@pocket-smyth/core';
import { type PersonStatus, personRoles, personStatuses } from '@pocket-smyth/db';
import { env } from '~/env';
import { db, dbHandle } from './db';

/**
 * The facts the agent-access rule needs, for the forward-auth endpoint, the subdomain proxy and the
 * local `/agent` proxy: fresh from the database on every request (no cache), so a public toggle, a
 * revocation or a signed-out session counts at once.
 */

const cookieSettings = { secureCookies: env.AUTH_URL?.startsWith('https://') ?? false };

/**
 * The portal's session cookie: the same settings as `authSettings` (server/auth.ts) derive it from.
 * Host-only: the only cookie on one origin in local mode, `login.DOMAIN`'s in subdomain mode.
 */
export const SESSION_COOKIE_NAME = sessionCookie(cookieSettings).name;

/**
 * The cookie of a `{username}.DOMAIN` (subdomain mode), host-only on that host, from the host-session
 * handshake (`/api/host-session`, docs/ARCHITECTURE.md, "Security rules").
 */
export const HOST_SESSION_COOKIE_NAME = hostSessionCookie(cookieSettings).name;

/**
 * `Set-Cookie` values that delete the session cookie subdomain mode used to scope to `.DOMAIN`, so a
 * browser signed in before cookies were host-only stops sending it to every host (agents included) and
 * cannot shadow the host-only one of the same name. A Domain cookie is a different cookie from a
 * host-only one of the same name: those are left alone. Sent by `login.DOMAIN` (sign-in pages, the
 * handshake).
 */
export function legacyCookieClearing(): string[] {
  if (!env.DOMAIN) return [];
  const secure = cookieSettings.secureCookies;
  return LEGACY_DOMAIN_SESSION_COOKIES.filter((name) => secure || !name.startsWith('__')).map(
    (name) =>
      `${name}=; Domain=.${env.DOMAIN}; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  );
}

/**
 * What proves who is asking. On `{username}.DOMAIN` only that host's own cookie counts (a portal cookie
 * there is nobody); everywhere else (local mode, `login.DOMAIN`), the portal's session cookie.
 */
export type SessionCredential =
  | { kind: 'portal'; token: string | null }
  | { kind: 'host'; host: string; token: string | null };

/** The credential a request on `host` carries, from a cookie reader. */
export function credentialOn(
  host: HostKind,
  cookie: (name: string) => string | null | undefined,
): SessionCredential {
  if (host.kind === 'person') {
    return { kind: 'host', host: host.username, token: cookie(HOST_SESSION_COOKIE_NAME) ?? null };
  }
  return { kind: 'portal', token: cookie(SESSION_COOKIE_NAME) ?? null };
}

export interface AgentOwnerFacts {
  id: string;
  username: string;
  status: PersonStatus;
  /** Null when the person has no agent row (not yet approved). */
  agentId: string | null;
  publicUrlEnabled: boolean;
}

export interface AgentAccessFacts {
  owner: AgentOwnerFacts | null;
  viewer: AgentAccessViewer | null;
  /** When the viewer's session ends, in ms (a host session's on `{username}.DOMAIN`); null without one. */
  sessionExpiresAt: number | null;
}

const asStatus = (v: unknown): PersonStatus | null =>
  (personStatuses as readonly unknown[]).includes(v) ? (v as PersonStatus) : null;
const asString = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// One round trip, every lookup on an index: the session by its primary key (a host session by its
// hash, then its portal session, which must still be valid: signing out and revocations count at
// once), the viewer by id, the owner by lower(username) (users_username_unique), the agent by user_id
// (agents_user_unique). The one-row base keeps the viewer when the owner does not exist, and vice
// versa. An empty owner name means "the viewer's own" (the local `/agent` proxy).
const factsSelect = (sessionExpires: string) => `
select o.id as owner_id, o.username as owner_username, o.status as owner_status,
       a.id as agent_id, a.public_url_enabled as public_url_enabled,
       v.id as viewer_id, v.username as viewer_username, v.role as viewer_role, v.status as viewer_status,
       ${sessionExpires} as session_expires
from (select 1) as base`;
const FACTS_OWNER = `
left join users v on v.id = s.user_id
left join users o on lower(o.username) = lower(coalesce(nullif(?, ''), v.username))
left join agents a on a.user_id = o.id`;
const PORTAL_FACTS_SQL = `${factsSelect('s.expires')}
left join sessions s on s.session_token = ? and s.expires > ?${FACTS_OWNER}`;
const HOST_FACTS_SQL = `${factsSelect('h.expires_at')}
left join host_sessions h on h.token_hash = ? and h.host = ? and h.expires_at > ?
left join sessions s on s.session_token = h.session_token and s.user_id = h.user_id and s.expires > ?${FACTS_OWNER}`;

/** Host-session tokens are 43 base64url characters; anything else is looked up as nothing. */
const HOST_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Stands for "the signed-in person's own" where an owner's username is expected. */
export const VIEWERS_OWN = Symbol('viewers-own');

/**
 * `ownerUsername`: whose agent or portal; `VIEWERS_OWN` for the viewer's own. A name that breaks the
 * username rule cannot be anyone's: no owner then, but the viewer is still looked up.
 */
export async function loadAgentAccessFacts(
  ownerUsername: string | typeof VIEWERS_OWN | null,
  credential: SessionCredential,
): Promise<AgentAccessFacts> {
  const self = ownerUsername === VIEWERS_OWN;
  const named =
    typeof ownerUsername === 'string' && isValidUsername(ownerUsername.toLowerCase())
      ? ownerUsername.toLowerCase()
      : null;
  const token = credential.token ?? '';
  if (!token && !named) return { owner: null, viewer: null, sessionExpiresAt: null };
  const now = Date.now();
  const rs = await dbHandle.client.execute(
    credential.kind === 'host'
      ? {
          sql: HOST_FACTS_SQL,
          args: [
            HOST_TOKEN.test(token) ? hashHostSecret(token) : '',
            credential.host.toLowerCase(),
            now,
            now,
            named ?? '',
          ],
        }
      : { sql: PORTAL_FACTS_SQL, args: [token, now, named ?? ''] },
  );
  const row = rs.rows[0];
  if (!row) return { owner: null, viewer: null, sessionExpiresAt: null };

  // Neither a name nor VIEWERS_OWN: the coalesce fell back to the viewer, which is not what was asked.
  const ownerWanted = self || named !== null;
  const ownerId = ownerWanted ? asString(row.owner_id) : null;
  const ownerName = asString(row.owner_username);
  const ownerStatus = asStatus(row.owner_status);
  const viewerId = asString(row.viewer_id);
  const viewerStatus = asStatus(row.viewer_status);
  const viewerRole = (personRoles as readonly unknown[]).includes(row.viewer_role)
    ? (row.viewer_role as AgentAccessViewer['role'])
    : null;
  return {
    owner:
      ownerId && ownerName && ownerStatus
        ? {
            id: ownerId,
            username: ownerName,
            status: ownerStatus,
            agentId: asString(row.agent_id),
            publicUrlEnabled: Number(row.public_url_enabled ?? 0) === 1,
          }
        : null,
    viewer:
      viewerId && viewerStatus && viewerRole
        ? { id: viewerId, username: asString(row.viewer_username), role: viewerRole, status: viewerStatus }
        : null,
    sessionExpiresAt: viewerId && row.session_expires != null ? Number(row.session_expires) : null,
  };
}

/**
 * Sliding expiry on `{username}.DOMAIN`, as Auth.js slides the portal's session on its own host: once a
 * day of use, the host session and the portal session behind it are extended to the full lifetime.
 * Returns the host cookie to set again (with its new expiry), or null when nothing was due.
 */
export async function slideHostSession(credential: SessionCredential, facts: AgentAccessFacts) {
  if (credential.kind !== 'host' || !credential.token || !facts.viewer || facts.sessionExpiresAt === null) {
    return null;
  }
  const maxAgeMs = SESSION_MAX_AGE_SECONDS * 1000;
  if (facts.sessionExpiresAt - Date.now() > maxAgeMs - SESSION_UPDATE_AGE_SECONDS * 1000) return null;
  const expires = await extendHostSession(db, { token: credential.token, host: credential.host, maxAgeMs });
  if (!expires) return null;
  const cookie = hostSessionCookie(cookieSettings);
  return { name: cookie.name, value: credential.token, options: { ...cookie.options, expires } };
}

export type AgentAccessResult =
  | { status: 404; reason: 'no_such_agent'; facts: AgentAccessFacts }
  | (AgentAccessDecision & { facts: AgentAccessFacts });

/**
 * The whole check for one `/agent/*` request on `ownerUsername`'s agent. 404 when no active-or-not
 * person by that name has an agent; otherwise the shared rule (`decideAgentAccess`).
 */
export async function checkAgentAccess(
  ownerUsername: string | typeof VIEWERS_OWN | null,
  credential: SessionCredential,
  path: string,
): Promise<AgentAccessResult> {
  const facts = await loadAgentAccessFacts(ownerUsername, credential);
  const { owner, viewer } = facts;
  if (!owner?.agentId) {
    // Nobody signed in learns nothing about which names exist.
    if (!viewer) return { status: 401, reason: 'signed_out', facts };
    return { status: 404, reason: 'no_such_agent', facts };
  }
  const decision = decideAgentAccess({
    viewer,
    agentOwnerUsername: owner.username,
    path,
    publicUrlEnabled: owner.publicUrlEnabled,
    ownerStatus: owner.status,
  });
  return { ...decision, facts };
}

export type HostKind =
  | { kind: 'local' }
  | { kind: 'login' }
  | { kind: 'apex' }
  | { kind: 'person'; username: string }
  | { kind: 'other' };

/**
 * What a Host header names in subdomain mode: `login.DOMAIN`, `{username}.DOMAIN`, the bare DOMAIN,
 * or something else (an internal name such as `web:3000`, `localhost`): those are left alone. Without
 * DOMAIN everything is `local`.
 */
export function classifyHost(hostHeader: string | null | undefined): HostKind {
  const domain = env.DOMAIN;
  if (!domain) return { kind: 'local' };
  const host = (hostHeader ?? '').trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (host === domain) return { kind: 'apex' };
  const suffix = `.${domain}`;
  if (!host.endsWith(suffix)) return { kind: 'other' };
  const label = host.slice(0, -suffix.length);
  if (label === 'login') return { kind: 'login' };
  if (!label.includes('.') && isValidUsername(label)) return { kind: 'person', username: label };
  return { kind: 'other' };
}

/** `https://{label}.DOMAIN` with the scheme the browser used (AUTH_URL's, else the request's). */
export function subdomainOrigin(label: string, requestProtocol: string): string {
  const scheme = env.AUTH_URL ? new URL(env.AUTH_URL).protocol : requestProtocol;
  const port = env.AUTH_URL ? new URL(env.AUTH_URL).port : '';
  return `${scheme}//${label}.${env.DOMAIN}${port ? `:${port}` : ''}`;
}

export interface LocalAgentTarget {
  owner: string | typeof VIEWERS_OWN;
  /** '' for `/agent/*`, `/u/{username}` for `/u/{username}/agent/*`. */
  mount: string;
  /** The path (and query) from `/agent` on: what the agent gets and what the rule judges. */
  agentUri: string;
}

/**
 * The local single-origin scheme: `/agent/*` is the signed-in person's own agent, and
 * `/u/{username}/agent/*` is `username`'s (their public pages at `/u/{username}/agent/public/*`).
 * Null for any other path.
 */
export function parseLocalAgentUri(uri: string): LocalAgentTarget | null {
  if (/^\/agent(?=[/?#]|$)/.test(uri)) return { owner: VIEWERS_OWN, mount: '', agentUri: uri };
  const named = /^\/u\/([^/?#]+)(?=\/agent(?:[/?#]|$))/.exec(uri);
  if (!named?.[1]) return null;
  return { owner: named[1], mount: named[0], agentUri: uri.slice(named[0].length) };
}

/**
 * A `next` for the host-session handshake: a path on the same host, or `/`. Whatever could leave the
 * host (`//evil`, `/\evil`, `https://…`, control characters) or is longer than 2 KiB becomes `/`, so the
 * handshake is no open redirect.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2048 || !next.startsWith('/') || next.startsWith('//')) return '/';
  for (const ch of next) {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || code < 0x20 || code === 0x7f) return '/';
  }
  const base = 'http://next.invalid';
  try {
    const url = new URL(next, base);
    return url.origin === base ? `${url.pathname}${url.search}` : '/';
  } catch {
    return '/';
  }
}

/**
 * Where `{username}.DOMAIN` sends a browser that has no valid cookie of its own: the handshake on
 * `login.DOMAIN` (src/app/api/host-session), which comes back with a code for `next` on that host.
 */
export function hostSessionStartUrl(loginOrigin: string, username: string, next: string): string {
  const to = new URL(`${loginOrigin}/api/host-session`);
  to.searchParams.set('host', username);
  to.searchParams.set('next', safeNextPath(next));
  return to.toString();
}
