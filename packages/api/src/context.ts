import type { Enqueue, MailRecorder, Person, Scope } from '@pocket-smyth/core';
import type { Db } from '@pocket-smyth/db';
import type { PortalOrigins } from './request-origin';
import type { RateLimits } from './rest/rate-limit';
import { type ClientAddressRule, clientIpFrom, requestIdFrom } from './rest/request-meta';

/** Who is calling: a signed-in browser, or an API token acting for its owner within its scopes. */
export type Principal =
  | { via: 'session'; person: Person }
  | { via: 'token'; person: Person; token: { id: string; name: string; scopes: readonly Scope[] } };

/**
 * What every request may use besides its caller: built once per process by the app and handed to both
 * transports (`/api/trpc` and the REST adapter), so neither can forget the mailer or the token limit.
 */
export interface RequestServices {
  db: Db;
  /** Called after a change has committed. Absent: jobs are dropped (tests that do not look at them). */
  enqueue?: Enqueue;
  /** Writes mail to the outbox inside a change's transaction. Absent: changes send no mail. */
  mailer?: MailRecorder | null;
  /** Longest lifetime a new API token may have. */
  tokenMaxDays?: number;
  /** The portal's public URL for links in mail; a function derives it from the request. */
  portalUrl?: string | ((headers: Headers) => string);
  /** Encrypts SSH private keys that admins store for hosts; null: only key paths can be given. */
  hostKeyEncryptionKey?: string | null;
  /** AGENT_SECRETS_KEY: seals agents' environment variables; null: nobody can set one (409). */
  agentSecretsKey?: string | null;
  /** Where the client's address comes from. Absent: nowhere (no address is recorded). */
  clientAddress?: ClientAddressRule;
  /**
   * The origins a cookie-authenticated write may come from (`request-origin.ts`). Absent: only the
   * request URL's own origin.
   */
  portalOrigins?: PortalOrigins;
  /**
   * The budgets every procedure call is counted against (`trpc.ts`): per person, per address when
   * anonymous. Absent: calls are not counted (tests, tools calling procedures in-process).
   */
  rateLimits?: RateLimits;
}

export interface Context {
  db: Db;
  /** Null for anonymous callers. Always re-read from the database, never trusted from a cookie. */
  principal: Principal | null;
  requestId: string;
  ip: string | null;
  enqueue: Enqueue;
  tokenMaxDays: number;
  mailer: MailRecorder | null;
  portalUrl: string;
  hostKeyEncryptionKey: string | null;
  agentSecretsKey: string | null;
  /** What the procedure middleware counts this call against; null when not counted here. */
  rateLimits: RateLimits | null;
}

/** The facts of one request; the request id and address come from its headers unless given. */
export interface RequestFacts {
  principal: Principal | null;
  headers?: Headers;
  requestId?: string;
  ip?: string | null;
  /** True when the transport already counted this request (REST does, to answer 429 with its headers). */
  rateLimitCounted?: boolean;
}

export type CreateContextOptions = RequestServices & RequestFacts;

export const DEFAULT_TOKEN_MAX_DAYS = 365;
const DEFAULT_PORTAL_URL = 'http://localhost:3000';

export function createContext(opts: CreateContextOptions): Context {
  const headers = opts.headers ?? new Headers();
  const portalUrl = typeof opts.portalUrl === 'function' ? opts.portalUrl(headers) : opts.portalUrl;
  return {
    db: opts.db,
    principal: opts.principal,
    requestId: opts.requestId ?? requestIdFrom(headers),
    ip: opts.ip !== undefined ? opts.ip : clientIpFrom(headers, opts.clientAddress),
    enqueue: opts.enqueue ?? noopEnqueue,
    tokenMaxDays: opts.tokenMaxDays ?? DEFAULT_TOKEN_MAX_DAYS,
    mailer: opts.mailer ?? null,
    portalUrl: portalUrl ?? DEFAULT_PORTAL_URL,
    hostKeyEncryptionKey: opts.hostKeyEncryptionKey ?? null,
    agentSecretsKey: opts.agentSecretsKey ?? null,
    rateLimits: opts.rateLimitCounted ? null : (opts.rateLimits ?? null),
  };
}

/** The one context factory: binds the process's services, then builds each request's context. */
export function createContextFactory(services: RequestServices): (facts: RequestFacts) => Context {
  return (facts) => createContext({ ...services, ...facts });
}

const noopEnqueue: Enqueue = async () => {};
