import type { NextRequest } from 'next/server';

/** The scheme the browser used, as the reverse proxy reports it (else the request's own). */
export function requestScheme(request: NextRequest): string {
  const protocol = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return protocol ? `${protocol}:` : request.nextUrl.protocol;
}

/** A small page for the handshake's refusals. */
export function hostSessionPage(
  status: 400 | 401 | 403 | 404,
  title: string,
  text: string,
  link?: string,
): Response {
  const more = link ? `<p><a href="${escapeHtml(link)}">Try again</a></p>` : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${status} ${title}</h1><p>${escapeHtml(text)}</p>${more}</body></html>`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
