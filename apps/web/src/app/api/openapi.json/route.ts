import { openApiDocumentFor, originOf } from '~/server/openapi';

export function GET(req: Request) {
  const doc = openApiDocumentFor(originOf(req.headers, new URL(req.url).origin));
  return Response.json(doc, { headers: { 'cache-control': 'public, max-age=300' } });
}
