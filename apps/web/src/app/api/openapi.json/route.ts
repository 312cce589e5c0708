import { createHash } from 'node:crypto';
import { openApiDocument } from '~/server/openapi';

// Rendered by the running server, so servers[] is its configured URL, not the build machine's.
export const dynamic = 'force-dynamic';

// The document never changes while the server runs: serialised once, with a strong ETag of its bytes,
// so a client that has it gets a 304 instead of ~100 kB again.
const body = JSON.stringify(openApiDocument);
const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
const headers = {
  'content-type': 'application/json',
  'cache-control': 'public, max-age=300',
  etag,
};

/** `If-None-Match` holds the current ETag (or `*`): the list form of RFC 9110, weak tags compared weakly. */
function clientHasIt(ifNoneMatch: string | null): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

export function GET(request: Request) {
  if (clientHasIt(request.headers.get('if-none-match'))) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
