/**
 * Target B of rest.bench.ts: `GET /api/me` as a bare `node:http` handler, run in its own process (as
 * `next start` is) so the load generator never shares its event loop. It does the work our REST handler
 * does for that route, and nothing else: parse the bearer token, verifyApiToken (lookup by hash joined
 * with the owner's row, last-used write at most once a minute), the shared rate-limit upsert, then the
 * owner's profile as JSON with X-Request-Id and RateLimit-* headers.
 *
 * Env: REST_BENCH_LIBSQL_URL (the app's libSQL file, already migrated). Prints `{"port":N}` when ready.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { TokenRejected, verifyApiToken } from '@pocket-smyth/core';
import { createDb, migrateDb } from '@pocket-smyth/db';
import { consumeRateLimit, rateLimitHeaders } from '../../packages/api/src/rest/rate-limit';

const url = process.env.REST_BENCH_LIBSQL_URL;
if (!url) throw new Error('REST_BENCH_LIBSQL_URL is required');
const dbHandle = createDb(url);
const { db, client } = dbHandle;
// Same start-up as the web app's instrumentation: WAL + busy_timeout on this connection (migrations are
// already applied, so that part is a no-op).
await migrateDb(dbHandle);
const rule = { limit: 100_000_000, windowMs: 60_000 };

/** The fields of the `/me` output schema (personOutput + needsOnboarding), in its order. */
const personKeys = [
  'id',
  'email',
  'name',
  'image',
  'username',
  'role',
  'status',
  'statusReason',
  'preferences',
  'planId',
  'requestedAt',
  'decidedAt',
  'createdAt',
  'updatedAt',
] as const;

function clientIp(req: IncomingMessage): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  const real = req.headers['x-real-ip'];
  return first || (Array.isArray(real) ? real[0] : real) || null;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  if (req.method !== 'GET' || req.url !== '/api/me') {
    send(res, 404, { 'x-request-id': requestId }, { error: { code: 'NOT_FOUND', requestId } });
    return;
  }
  const bearer = /^Bearer[ ]+(\S+)[ ]*$/i.exec(req.headers.authorization ?? '')?.[1];
  try {
    if (!bearer) throw new TokenRejected('malformed');
    const { token, person } = await verifyApiToken(db, bearer, clientIp(req));
    const decision = await consumeRateLimit(db, `token:${token.id}`, rule);
    const headers = { 'x-request-id': requestId, ...rateLimitHeaders(decision) };
    if (!decision.allowed) {
      send(res, 429, headers, { error: { code: 'TOO_MANY_REQUESTS', requestId } });
      return;
    }
    const body: Record<string, unknown> = {};
    for (const key of personKeys) body[key] = person[key];
    body.needsOnboarding =
      person.username === null && (person.status === 'onboarding' || person.status === 'active');
    send(res, 200, headers, body);
  } catch (error) {
    if (error instanceof TokenRejected) {
      send(res, 401, { 'x-request-id': requestId }, { error: { code: 'UNAUTHORIZED', requestId } });
      return;
    }
    console.error(error);
    send(res, 500, { 'x-request-id': requestId }, { error: { code: 'INTERNAL_SERVER_ERROR', requestId } });
  }
}

const server = createServer((req, res) => {
  void handle(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  client.close();
  process.exit(0);
});
