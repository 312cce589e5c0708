import { createHash, randomBytes } from 'node:crypto';
import { apiTokens, type Db, type DbOrTx, plans, timeOrderedId, users } from '@pocket-smyth/db';
import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import { AppError, badRequest, conflict, forbidden, notFound } from './errors';
import { type Person, withParsedPreferences } from './people-queries';
import type { ChangeMeta } from './ports';
import { isAdminScope, type Scope } from './scopes';

/** Recognisable in logs and by secret scanners: "pst_" then 43 base64url characters (256 bits). */
export const TOKEN_PREFIX = 'pst_';
const TOKEN_PATTERN = /^pst_[A-Za-z0-9_-]{43}$/;

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export type ApiTokenRow = typeof apiTokens.$inferSelect;

/** What lists and the creation response show: never the hash. */
export function publicToken(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as Scope[],
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    revokedAt: row.revokedAt,
  };
}

export interface CreateTokenInput {
  name: string;
  scopes: Scope[];
  expiresInDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Creates a token for `owner`. It never has more than its owner (no admin scope for a non-admin) and,
 * when created by another token (`creatorTokenId`, read fresh here), never more than that token: no
 * scope it lacks, and no life beyond its own. `expiresInDays` may be at most the parent's remaining
 * life rounded up to whole days (more is a 400 naming the parent's expiry); within that last partial
 * day the child ends together with its parent. A session (the dashboard) is limited by `maxDays` only.
 */
export async function createApiToken(
  db: Db,
  meta: ChangeMeta,
  owner: Person,
  input: CreateTokenInput,
  opts: { maxDays: number; creatorTokenId?: string },
): Promise<{ token: ReturnType<typeof publicToken>; secret: string }> {
  if (input.expiresInDays > opts.maxDays) {
    throw badRequest(`Tokens expire after at most ${opts.maxDays} days.`, { field: 'expiresInDays' });
  }
  const scopes = [...new Set(input.scopes)];
  if (owner.role !== 'admin' && scopes.some(isAdminScope)) {
    throw forbidden('Only admins can create tokens with admin scopes.');
  }
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const row: ApiTokenRow = {
    id: timeOrderedId(now.getTime()),
    userId: owner.id,
    name: input.name,
    prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
    secretHash: hashTokenSecret(secret),
    scopes,
    expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
    createdAt: now,
    lastUsedAt: null,
    lastUsedIp: null,
    revokedAt: null,
    revokedBy: null,
  };
  // A write transaction (BEGIN IMMEDIATE): the count and the insert see no other token made between.
  await db.transaction(async (tx) => {
    await checkTokenAllowance(tx, owner.id, now);
    if (opts.creatorTokenId !== undefined) {
      const [parent] = await tx
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.id, opts.creatorTokenId))
        .limit(1);
      row.expiresAt = boundByParent(parent, owner, scopes, input.expiresInDays, now);
    }
    await tx.insert(apiTokens).values(row);
    await recordAudit(tx, meta, {
      action: 'token.created',
      target: { kind: 'token', id: row.id, label: `${row.name} (${owner.email})` },
      after: { name: row.name, scopes, expiresAt: row.expiresAt.toISOString(), ownerId: owner.id },
    });
  });
  return { token: publicToken(row), secret };
}

/**
 * Refuses a token beyond the owner's plan's `max_api_tokens` (docs/ARCHITECTURE.md, "Plans and
 * quotas"): tokens that still work count (not revoked, not expired); null is no limit.
 */
async function checkTokenAllowance(tx: DbOrTx, ownerId: string, now: Date): Promise<void> {
  const [plan] = await tx
    .select({ maxApiTokens: plans.maxApiTokens })
    .from(users)
    .innerJoin(plans, eq(plans.id, users.planId))
    .where(eq(users.id, ownerId))
    .limit(1);
  const max = plan?.maxApiTokens ?? null;
  if (max === null) return;
  const [live] = await tx
    .select({ n: count() })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, ownerId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
  const held = live?.n ?? 0;
  if (held >= max) {
    throw conflict(
      max === 0
        ? 'Your plan allows no API tokens.'
        : `Your plan allows ${max} API token${max === 1 ? '' : 's'}; revoke one first.`,
      { maxApiTokens: max, liveTokens: held },
    );
  }
}

/**
 * Checks a child token against the token creating it and returns the child's expiry: the requested
 * one, or the parent's when that is earlier by less than a day (`expiresInDays` is in whole days).
 */
function boundByParent(
  parent: ApiTokenRow | undefined,
  owner: Person,
  scopes: readonly Scope[],
  expiresInDays: number,
  now: Date,
): Date {
  if (
    !parent ||
    parent.userId !== owner.id ||
    parent.revokedAt ||
    parent.expiresAt.getTime() <= now.getTime()
  ) {
    throw forbidden('The token making this request can no longer create tokens.');
  }
  const parentScopes = parent.scopes as readonly Scope[];
  const beyond = scopes.filter((s) => !parentScopes.includes(s));
  if (beyond.length > 0) {
    throw forbidden(`A token cannot create a token with scopes it does not have: ${beyond.join(', ')}.`);
  }
  const parentExpiresAt = parent.expiresAt.toISOString();
  const maxExpiresInDays = Math.ceil((parent.expiresAt.getTime() - now.getTime()) / DAY_MS);
  if (expiresInDays > maxExpiresInDays) {
    throw badRequest(
      `A token cannot create a token that outlives it: this token expires at ${parentExpiresAt}, so the new one may last at most ${maxExpiresInDays} day${maxExpiresInDays === 1 ? '' : 's'}.`,
      { field: 'expiresInDays', parentExpiresAt, maxExpiresInDays },
    );
  }
  const requested = now.getTime() + expiresInDays * DAY_MS;
  return new Date(Math.min(requested, parent.expiresAt.getTime()));
}

export async function listApiTokens(db: DbOrTx, ownerId?: string) {
  const rows = await db
    .select({ token: apiTokens, email: users.email, username: users.username })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(ownerId ? eq(apiTokens.userId, ownerId) : undefined)
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(500);
  return rows.map((r) => ({
    ...publicToken(r.token),
    owner: { id: r.token.userId, email: r.email, username: r.username },
  }));
}

/** Revokes a token. With `ownerId`, only that owner's token is found: another person's is a 404. */
export async function revokeApiToken(db: Db, meta: ChangeMeta, tokenId: string, ownerId?: string) {
  return db.transaction(async (tx) => {
    const where = ownerId
      ? and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, ownerId))
      : eq(apiTokens.id, tokenId);
    const [row] = await tx.select().from(apiTokens).where(where).limit(1);
    if (!row) throw notFound('Token');
    if (row.revokedAt) return publicToken(row);
    const revokedAt = new Date();
    await tx
      .update(apiTokens)
      .set({ revokedAt, revokedBy: meta.actor.personId })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)));
    await recordAudit(tx, meta, {
      action: 'token.revoked',
      target: { kind: 'token', id: row.id, label: row.name },
      before: { revokedAt: null },
      after: { revokedAt: revokedAt.toISOString(), ownerId: row.userId },
    });
    return publicToken({ ...row, revokedAt });
  });
}

/**
 * Revokes every live token of a person, inside the caller's transaction: revoking the person does this
 * in the same transaction as the status change, and its one audit event carries the count (no event per
 * token). So a restored person starts with no working tokens. Returns how many were revoked.
 */
export async function revokeTokensOfPerson(
  tx: DbOrTx,
  personId: string,
  revokedBy: string | null,
  revokedAt = new Date(),
): Promise<number> {
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt, revokedBy })
    .where(and(eq(apiTokens.userId, personId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return revoked.length;
}

export type TokenFailure = 'malformed' | 'unknown' | 'expired' | 'revoked' | 'owner_inactive';

const failureMessage: Record<TokenFailure, string> = {
  malformed: 'The bearer token is malformed.',
  unknown: 'The bearer token is not valid.',
  expired: 'The bearer token has expired.',
  revoked: 'The bearer token has been revoked.',
  owner_inactive: 'The owner of this token no longer has access.',
};

export class TokenRejected extends AppError {
  constructor(readonly reason: TokenFailure) {
    super('UNAUTHORIZED', failureMessage[reason], { reason });
  }
}

/** Last-used is written at most once a minute per token, so reads do not become writes. */
const LAST_USED_GRANULARITY_MS = 60_000;

function prepareTokenLookup(db: Db) {
  return db
    .select({ token: apiTokens, person: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.secretHash, sql.placeholder('hash')))
    .limit(1)
    .prepare();
}

/**
 * Every bearer-token call starts with this one query: built once per database handle rather than
 * once per request (building the SQL was a tenth of a token call's CPU, `pnpm bench rest`).
 */
const tokenLookups = new WeakMap<Db, ReturnType<typeof prepareTokenLookup>>();

function tokenLookup(db: Db) {
  let lookup = tokenLookups.get(db);
  if (!lookup) {
    lookup = prepareTokenLookup(db);
    tokenLookups.set(db, lookup);
  }
  return lookup;
}

/**
 * Resolves a bearer secret to its owner and scopes, or throws TokenRejected. The owner is read fresh:
 * a token of a revoked, rejected or deleted person stops working the moment that happens.
 */
export async function verifyApiToken(
  db: Db,
  secret: string,
  ip: string | null,
  now = new Date(),
): Promise<{ token: ApiTokenRow; person: Person }> {
  if (!TOKEN_PATTERN.test(secret)) throw new TokenRejected('malformed');
  const [row] = await tokenLookup(db).all({ hash: hashTokenSecret(secret) });
  if (!row) throw new TokenRejected('unknown');
  if (row.token.revokedAt) throw new TokenRejected('revoked');
  if (row.token.expiresAt.getTime() <= now.getTime()) throw new TokenRejected('expired');
  if (row.person.status !== 'active') throw new TokenRejected('owner_inactive');
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - last >= LAST_USED_GRANULARITY_MS || row.token.lastUsedIp !== ip) {
    await db.update(apiTokens).set({ lastUsedAt: now, lastUsedIp: ip }).where(eq(apiTokens.id, row.token.id));
  }
  return { token: row.token, person: withParsedPreferences(row.person) };
}
