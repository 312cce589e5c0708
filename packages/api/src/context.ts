import type { Db } from '@pocket-smyth/db';
import type { Person } from './domain/people-queries';
import type { Enqueue } from './enqueue';

/** Who is calling. A session is a signed-in browser; API tokens (REST) add their scopes later. */
export type Principal = { via: 'session'; person: Person };

export interface Context {
  db: Db;
  /** Null for anonymous callers. Always re-read from the database, never trusted from a cookie. */
  principal: Principal | null;
  requestId: string;
  ip: string | null;
  /** Called after a change has committed; a no-op until the worker is wired in. */
  enqueue: Enqueue;
}

export interface CreateContextOptions {
  db: Db;
  principal: Principal | null;
  requestId?: string;
  ip?: string | null;
  enqueue?: Enqueue;
}

export function createContext(opts: CreateContextOptions): Context {
  return {
    db: opts.db,
    principal: opts.principal,
    requestId: opts.requestId ?? crypto.randomUUID(),
    ip: opts.ip ?? null,
    enqueue: opts.enqueue ?? noopEnqueue,
  };
}

const noopEnqueue: Enqueue = async () => {};
