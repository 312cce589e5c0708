/**
 * GET /api/metrics (docs/ARCHITECTURE.md, "Health"): Prometheus text from the database and this
 * instance's HTTP series, for the metrics token or an admin's token with admin:system:read only.
 */
import { agents, runs, timeOrderedId } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsHandler } from '../src/metrics/handler';
import { createHttpMetrics } from '../src/metrics/http-metrics';
import { restRouteTemplates } from '../src/metrics/route-templates';
import { createWorld, makePerson, type World } from './helpers';
import { tokenFor } from './rest/rest-helpers';

const METRICS_TOKEN = 'm'.repeat(40);
let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

describe('restRouteTemplates', () => {
  it('names a path by its route template, never by what the client typed', () => {
    const routeOf = restRouteTemplates();
    expect(routeOf('/api/users/0b9d-xyz/approve')).toBe('/users/{id}/approve');
    expect(routeOf('/api/users/approve')).toBe('/users/approve');
    expect(routeOf('/api/agents/command')).toBe('/agents/command');
    expect(routeOf('/api/agents/a1/restart')).toBe('/agents/{id}/restart');
    expect(routeOf('/api/me')).toBe('/me');
    expect(routeOf('/api/no/such/route/<script>')).toBe('other');
    expect(routeOf('/elsewhere')).toBe('other');
  });
});

describe('createHttpMetrics', () => {
  it('counts by route, method and status, with cumulative latency buckets', () => {
    const m = createHttpMetrics();
    m.observe({ route: '/me', method: 'GET', status: 200, seconds: 0.004 });
    m.observe({ route: '/me', method: 'GET', status: 200, seconds: 0.3 });
    m.observe({ route: '/me', method: 'GET', status: 401, seconds: 0.001 });
    const text = m.render();
    expect(text).toContain('pocket_smyth_http_requests_total{route="/me",method="GET",status="200"} 2');
    expect(text).toContain('pocket_smyth_http_requests_total{route="/me",method="GET",status="401"} 1');
    expect(text).toContain(
      'pocket_smyth_http_request_duration_seconds_bucket{route="/me",method="GET",status="200",le="0.005"} 1',
    );
    expect(text).toContain(
      'pocket_smyth_http_request_duration_seconds_bucket{route="/me",method="GET",status="200",le="0.25"} 1',
    );
    expect(text).toContain(
      'pocket_smyth_http_request_duration_seconds_bucket{route="/me",method="GET",status="200",le="0.5"} 2',
    );
    expect(text).toContain(
      'pocket_smyth_http_request_duration_seconds_bucket{route="/me",method="GET",status="200",le="+Inf"} 2',
    );
    expect(text).toContain(
      'pocket_smyth_http_request_duration_seconds_count{route="/me",method="GET",status="200"} 2',
    );
  });
});

describe('the metrics handler', () => {
  const handler = () =>
    createMetricsHandler({ db: world.db, http: createHttpMetrics(), metricsToken: METRICS_TOKEN });
  const get = (token?: string) =>
    handler()(
      new Request(
        'http://localhost/api/metrics',
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      ),
    );

  it('answers the metrics token and an admin’s admin:system:read token with the figures', async () => {
    const person = await makePerson(world.db, 'active');
    const [agent] = await world.db.select().from(agents).where(eq(agents.userId, person.id));
    await world.db.update(agents).set({ observedState: 'running' }).where(eq(agents.id, agent!.id));
    const started = new Date(Date.now() - 42_000);
    await world.db.insert(runs).values({
      id: timeOrderedId(),
      agentId: agent!.id,
      username: agent!.username,
      kind: 'provision',
      status: 'succeeded',
      startedAt: started,
      endedAt: new Date(started.getTime() + 40_000),
    });

    const res = await get(METRICS_TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^pocket_smyth_agents\{observed_state="running"\} [1-9]\d*$/m);
    expect(text).toMatch(/^pocket_smyth_runs\{kind="provision",status="succeeded"\} [1-9]\d*$/m);
    // 40 s: above the 30 s bucket, within the 60 s one.
    expect(text).toContain(
      'pocket_smyth_run_duration_seconds_bucket{kind="provision",status="succeeded",le="30"} 0',
    );
    expect(text).toContain(
      'pocket_smyth_run_duration_seconds_bucket{kind="provision",status="succeeded",le="60"} 1',
    );
    expect(text).toContain('# TYPE pocket_smyth_http_request_duration_seconds histogram');

    const admin = await makePerson(world.db, 'admin');
    expect((await get(await tokenFor(world.db, admin, ['admin:system:read']))).status).toBe(200);
  });

  it('refuses everyone else: 401 without or with a bad token, 403 for a token that is not an admin’s or lacks the scope', async () => {
    expect((await get()).status).toBe(401);
    expect((await get('x'.repeat(40))).status).toBe(401);
    const admin = await makePerson(world.db, 'admin');
    const person = await makePerson(world.db, 'active');
    expect((await get(await tokenFor(world.db, admin, ['admin:users:read']))).status).toBe(403);
    expect((await get(await tokenFor(world.db, person, ['me:read']))).status).toBe(403);
    // No metrics token configured: only admin tokens.
    const without = createMetricsHandler({ db: world.db, http: createHttpMetrics() });
    const res = await without(
      new Request('http://localhost/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }),
    );
    expect(res.status).toBe(401);
  });
});
