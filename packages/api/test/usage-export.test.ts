/**
 * The usage export over REST (docs/ARCHITECTURE.md, "Usage metering" and "REST"): a streamed text/csv
 * download, not CSV inside JSON; formula-safe cells; a bad range is a 400 in the API's error shape.
 */
import { usageDaily, usageHourly, users } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, makePerson, type World } from './helpers';
import { restFor, tokenFor } from './rest/rest-helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

const HOUR = 3_600_000;

async function get(path: string, token: string) {
  return restFor(world.db)(
    new Request(`http://localhost/api${path}`, { headers: { authorization: `Bearer ${token}` } }),
  );
}

describe('GET /usage/export', () => {
  it('streams a row per person per day, formula-safe, with the file named for the range', async () => {
    const ada = await makePerson(world.db, 'active');
    const sly = await makePerson(world.db, 'active');
    // An address a spreadsheet would read as a formula.
    await world.db.update(users).set({ email: '=HYPERLINK("x")@example.com' }).where(eq(users.id, sly.id));
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
    await world.db.insert(usageDaily).values([
      {
        userId: ada.id,
        day: day('2026-01-30'),
        agentSeconds: 5400,
        cpuSeconds: 1800,
        memoryGbSeconds: 3600,
        apiCalls: 7,
      },
      {
        userId: ada.id,
        day: day('2026-02-01'),
        agentSeconds: 3600,
        cpuSeconds: 0,
        memoryGbSeconds: 0,
        apiCalls: 0,
      },
      {
        userId: sly.id,
        day: day('2026-01-31'),
        agentSeconds: 36,
        cpuSeconds: 0,
        memoryGbSeconds: 0,
        apiCalls: 1,
      },
    ]);
    const token = await tokenFor(world.db, world.founder, ['admin:users:read']);
    const res = await get('/usage/export?from=2026-01-30&to=2026-01-31', token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="usage-2026-01-30-to-2026-01-31-day.csv"',
    );
    expect(res.body).toBeInstanceOf(ReadableStream);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines).toEqual([
      'period_start,granularity,person_id,username,email,agent_hours,cpu_core_hours,memory_gb_hours,api_calls',
      `2026-01-30T00:00:00.000Z,day,${ada.id},${ada.username},${ada.email},1.5,0.5,1,7`,
      `2026-01-31T00:00:00.000Z,day,${sly.id},${sly.username},"'=HYPERLINK(""x"")@example.com",0.01,0,0,1`,
    ]);
  });

  it('hourly for the last 14 days; bad ranges are 400s in the error shape', async () => {
    const person = await makePerson(world.db, 'active');
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    await world.db
      .insert(usageHourly)
      .values({ userId: person.id, hour: new Date(hour), agentSeconds: 1800, apiCalls: 3 });
    const token = await tokenFor(world.db, world.founder, ['admin:users:read']);
    const today = new Date().toISOString().slice(0, 10);
    const hourly = await get(
      `/usage/export?from=${new Date(hour).toISOString().slice(0, 10)}&to=${today}&granularity=hour`,
      token,
    );
    expect(hourly.status).toBe(200);
    expect(await hourly.text()).toContain(
      `${new Date(hour).toISOString()},hour,${person.id},${person.username},`,
    );

    for (const [query, words] of [
      ['from=2026-01-31&to=2026-01-01', /to is before from/],
      ['from=2026-02-30&to=2026-03-01', /from is a day such as/],
      ['from=2024-01-01&to=2026-01-01', /at most 400 days/],
      ['from=2025-01-01&to=2025-01-02&granularity=hour', /Hourly figures are kept 14 days/],
      ['from=2026-01-01&to=2026-01-02&granularity=minute', /Invalid input: granularity/],
      ['to=2026-01-02', /Invalid input: from/],
    ] as const) {
      const res = await get(`/usage/export?${query}`, token);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(words);
    }
  });
});
