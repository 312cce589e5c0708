/**
 * agent.metrics: the dashboard's CPU/memory series, read from agent_samples as the worker writes them.
 */

import { AGENT_METRICS_MAX_SAMPLES } from '@pocket-smyth/core';
import { agentSamples } from '@pocket-smyth/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentRowByPerson, callerFor, createWorld, makePerson, type World } from './helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

async function seedSamples(agentId: string, times: number[]): Promise<void> {
  const rows = times.map((t, i) => ({
    agentId,
    at: new Date(t),
    cpuPercent: i % 100,
    memoryBytes: 1_000 + i,
    observedState: 'running' as const,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await world.db.insert(agentSamples).values(rows.slice(i, i + 500));
}

describe('agent.metrics', () => {
  it('answers oldest first inside the window, with the newest sample as latest', async () => {
    const person = await makePerson(world.db, 'active');
    const agent = await agentRowByPerson(world.db, person.id);
    const now = Date.now();
    // One sample older than the hour asked for, three inside it.
    await seedSamples(agent!.id, [now - 61 * 60_000, now - 30 * 60_000, now - 15_000, now - 45 * 60_000]);
    const { samples, latest } = await callerFor(world.db, person).agent.metrics({ minutes: 60 });
    expect(samples.map((s) => Date.parse(s.at))).toEqual([
      now - 45 * 60_000,
      now - 30 * 60_000,
      now - 15_000,
    ]);
    expect(Date.parse(latest?.at ?? '')).toBe(now - 15_000);
  });

  it('past the cap it drops the oldest samples, never the latest one', async () => {
    const person = await makePerson(world.db, 'active');
    const agent = await agentRowByPerson(world.db, person.id);
    const now = Date.now();
    // A day of 15 s samples is ~5,760 rows, more than the cap.
    const count = AGENT_METRICS_MAX_SAMPLES + 300;
    await seedSamples(
      agent!.id,
      Array.from({ length: count }, (_, i) => now - (count - i) * 15_000),
    );
    const { samples, latest } = await callerFor(world.db, person).agent.metrics({ minutes: 24 * 60 });
    expect(samples).toHaveLength(AGENT_METRICS_MAX_SAMPLES);
    expect(Date.parse(latest?.at ?? '')).toBe(now - 15_000);
    expect(Date.parse(samples.at(-1)?.at ?? '')).toBe(now - 15_000);
    expect(Date.parse(samples[0]?.at ?? '')).toBe(now - AGENT_METRICS_MAX_SAMPLES * 15_000);
    const times = samples.map((s) => Date.parse(s.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
