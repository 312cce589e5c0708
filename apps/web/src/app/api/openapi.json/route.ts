import { openApiDocument } from '~/server/openapi';

// Rendered by the running server, so servers[] is its configured URL, not the build machine's.
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(openApiDocument, { headers: { 'cache-control': 'public, max-age=300' } });
}
