import type { Db } from '@pocket-smyth/db';
import type { MailRecorder } from './domain/notifications';
import type { Person } from './domain/people-queries';
import type { Enqueue } from './enqueue';
import type { Scope } from './scopes';

/** Who is calling: a signed-in browser, or an API token acting for its owner within its scopes. */
export type Principal =
  | { via: 'session'; person: Person }
  | { via: 'token'; person: Person; token: { id: string; name: string; scopes: readonly Scope[] } };

export interface Context {
  db: Db;
  /** Null for anonymous callers. Always re-read from the database, never trusted from a cookie. */
  principal: Principal | null;
  requestId: string;
  ip: string | null;
  /** Called after a change has committed; a no-op until the worker is wired in. */
  enqueue: Enqueue;
  /** Longest lifetime a new API token may have. */
  tokenMaxDays: number;
  /** Writes mail to the outbox inside a change's transaction; null: changes send no mail. */
  mailer: MailRecorder | null;
  /** The portal's public URL, for links in mail (e.g. the approval queue). */
  portalUrl: string;
}

export interface CreateContextOptions {
  db: Db;
  principal: Principal | null;
  requestId?: string;
  ip?: string | null;
  enqueue?: Enqueue;
  tokenMaxDays?: number;
  mailer?: MailRecorder | null;
  portalUrl?: string;
}

export const DEFAULT_TOKEN_MAX_DAYS = 365;

export function createContext(opts: CreateContextOptions): Context {
  return {
    db: opts.db,
    principal: opts.principal,
    requestId: opts.requestId ?? crypto.randomUUID(),
    ip: opts.ip ?? null,
    enqueue: opts.enqueue ?? noopEnqueue,
    tokenMaxDays: opts.tokenMaxDays ?? DEFAULT_TOKEN_MAX_DAYS,
    mailer: opts.mailer ?? null,
    portalUrl: opts.portalUrl ?? 'http://localhost:3000',
  };
}

const noopEnqueue: Enqueue = async () => {};
