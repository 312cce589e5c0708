import 'server-only';
import { buildOpenApiDocument } from '@pocket-smyth/api';

const byOrigin = new Map<string, ReturnType<typeof buildOpenApiDocument>>();

/** The document for the origin it is served from, built once per origin. */
export function openApiDocumentFor(origin: string) {
  let doc = byOrigin.get(origin);
  if (!doc) {
    doc = buildOpenApiDocument(`${origin}/api`);
    byOrigin.set(origin, doc);
  }
  return doc;
}

export function originOf(headers: Headers, fallback: string): string {
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  const proto = headers.get('x-forwarded-proto') ?? (fallback.startsWith('https') ? 'https' : 'http');
  return host ? `${proto}://${host}` : fallback;
}
