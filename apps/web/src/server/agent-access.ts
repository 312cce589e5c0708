import 'server-only';
import { sessionCookie } from '@pocket-smyth/auth';
import {
  type AgentAccessDecision,
  type AgentAccessViewer,
  decideAgentAccess,
  isValidUsername,
} from '@pocket-smyth/core';
import { type PersonStatus, personRoles, personStatuses } from '@pocket-smyth/db';
import { env } from '~/env';
import { dbHandle } from './db';

/**
 * The facts the agent-access rule needs, for the forward-auth endpoint, the subdomain proxy and the
 * local `/agent` proxy: fresh from the database on every request (no cache), so a public toggle, a
 * revocation or a signed-out session counts at once.
 */

/** The session cookie's name: the same settings as `authSettings` (server/auth.ts) derive it from. */
export const SESSION_COOKIE_NAME = sessionCookie({
  domain: env.DOMAIN ?? null,
  secureCookies: env.AUTH_URL?.startsWith('https://') ?? false,
}).name;

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
}

const asStatus = (v: unknown): PersonStatus | null =>
  (personStatuses as readonly unknown[]).includes(v) ? (v as PersonStatus) : null;
const asString = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// One round trip, every lookup on an index: the session by its primary key, the viewer by id, the
// owner by lower(username) (users_username_unique), the agent by user_id (agents_user_unique). The
// one-row base keeps the viewer when the owner does not exist, and vice versa. An empty owner name
// means "the viewer's own" (the local `/agent` proxy).
const FACTS_SQL = `
select o.id as owner_id, o.username as owner_username, o.status as owner_status,
       a.id as agent_id, a.public_url_enabled as public_url_enabled,
       v.id as viewer_id, v.username as viewer_username, v.role as viewer_role, v.status as viewer_status
from (select 1) as base
left join sessions s on s.session_token = ? and s.expires > ?
left join users v on v.id = s.user_id
left join users o on lower(o.username) = lower(coalesce(nullif(?, ''), v.username))
left join agents a on a.user_id = o.id`;

/** Stands for "the signed-in person's own" where an owner's username is expected. */
export const VIEWERS_OWN = Symbol('viewers-own');

/**
 * `ownerUsername`: whose agent or portal; `VIEWERS_OWN` for the viewer's own. A name that breaks the
 * username rule cannot be anyone's: no owner then, but the viewer is still looked up.
 */
export async function loadAgentAccessFacts(
  ownerUsername: string | typeof VIEWERS_OWN | null,
  sessionToken: string | null,
): Promise<AgentAccessFacts> {
  const self = ownerUsername === VIEWERS_OWN;
  const named =
    typeof ownerUsername === 'string' && isValidUsername(ownerUsername.toLowerCase())
      ? ownerUsername.toLowerCase()
      : null;
  if (!sessionToken && !named) return { owner: null, viewer: null };
  const rs = await dbHandle.client.execute({
    sql: FACTS_SQL,
    args: [sessionToken ?? '', Date.now(), named ?? ''],
  });
  const row = rs.rows[0];
  if (!row) return { owner: null, viewer: null };

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
  };
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
  sessionToken: string | null,
  path: string,
): Promise<AgentAccessResult> {
  const facts = await loadAgentAccessFacts(ownerUsername, sessionToken);
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
