import type { Person } from '@pocket-smyth/core';
import { allScopes, createApiToken, revokeApiToken, type Scope } from '@pocket-smyth/core';
import { apiTokens, type Db } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { createRestHandler, type RestHandlerOptions } from '../../src/rest/handler';
import { fixtureDeps, TEST_AGENT_SECRETS_KEY } from '../helpers';

export const BASE = 'http://localhost/api';

/**
 * A REST handler with limits high enough that only the rate-limit tests ever meet them, as deployed
 * behind one proxy (TRUSTED_PROXY_HOPS=1, server.mjs's peer header trusted): a test's one-entry
 * X-Forwarded-For is the address that proxy saw.
 */
export function restFor(db: Db, opts: Partial<RestHandlerOptions> = {}) {
  return createRestHandler({
    db,
    rateLimits: {
      authenticated: { limit: 100_000, windowMs: 60_000 },
      anonymous: { limit: 100_000, windowMs: 60_000 },
    },
    clientAddress: { trustedProxyHops: 1, peerHeader: true },
    agentSecretsKey: TEST_AGENT_SECRETS_KEY,
    ...opts,
  });
}

export async function tokenFor(
  db: Db,
  owner: Person,
  scopes: readonly Scope[],
  expiresInDays = 30,
): Promise<string> {
  const { secret } = await createApiToken(
    db,
    fixtureDeps,
    owner,
    { name: `test-${scopes.join('+') || 'none'}`, scopes: [...scopes], expiresInDays },
    { maxDays: 3650 },
  );
  return secret;
}

export async function expiredTokenFor(db: Db, owner: Person, scopes: readonly Scope[]): Promise<string> {
  const { secret, token } = await createApiToken(
    db,
    fixtureDeps,
    owner,
    { name: 'expired', scopes: [...scopes], expiresInDays: 1 },
    { maxDays: 3650 },
  );
  await db
    .update(apiTokens)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(apiTokens.id, token.id));
  return secret;
}

export async function revokedTokenFor(db: Db, owner: Person, scopes: readonly Scope[]): Promise<string> {
  const { secret, token } = await createApiToken(
    db,
    fixtureDeps,
    owner,
    { name: 'revoked', scopes: [...scopes], expiresInDays: 30 },
    { maxDays: 3650 },
  );
  await revokeApiToken(db, fixtureDeps, token.id);
  return secret;
}

/** Every scope a person of this role may hold. */
export function scopesOf(role: 'user' | 'admin'): Scope[] {
  return allScopes.filter((s) => role === 'admin' || !s.startsWith('admin:'));
}

export interface CallOptions {
  token?: string;
  authorization?: string;
  body?: unknown;
  rawBody?: RequestInit['body'];
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export async function call(
  handler: (req: Request) => Promise<Response>,
  method: string,
  path: string,
  opts: CallOptions = {},
) {
  const url = new URL(`${BASE}${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
  if (opts.authorization !== undefined) headers.set('authorization', opts.authorization);
  let body: RequestInit['body'] | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(opts.body);
  } else if (opts.rawBody !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'application/json');
  }
  const res = await handler(new Request(url, { method, headers, body }));
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return {
    status: res.status,
    headers: res.headers,
    json: json as Record<string, unknown> & { error?: ErrorPayload },
  };
}

export interface ErrorPayload {
  code: string;
  message: string;
  requestId: string;
  issues?: { path: string; message: string }[];
}
