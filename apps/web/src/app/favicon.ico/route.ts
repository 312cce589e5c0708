// Browsers ask every origin for /favicon.ico when a page names no icon, agents' pages at /agent/ too:
// the portal's icon (app/icon.svg), instead of a 404 in every agent tab's console. Relative, so it stays
// on the host that was asked.
export function GET() {
  return new Response(null, {
    status: 308,
    headers: { location: '/icon.svg', 'cache-control': 'public, max-age=86400' },
  });
}
