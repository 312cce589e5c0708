// Liveness for load balancers and the compose healthcheck: the process answers HTTP. No database call
// and no rate limit, so a slow database never gets the web container restarted.
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
