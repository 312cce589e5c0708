import { readiness } from '~/server/readiness';

// Readiness for load balancers and orchestrators (docs/ARCHITECTURE.md, "Health"): 200 when every
// dependency answers, else 503, with each check's result and time. /api/health is the liveness probe.
export const dynamic = 'force-dynamic';

export async function GET() {
  const answer = await readiness();
  return Response.json(answer, {
    status: answer.status === 'ready' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
