import { agents, usageHourly, users } from '@pocket-smyth/db';
import { usageRollupSpec } from '@pocket-smyth/jobs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from './test-worker';

/** The cron job as the worker runs it: core's rollup behind the jobs' port, on the worker's libSQL file. */
describe('usage.rollup on the worker', () => {
  let world: TestWorker;
  beforeAll(async () => {
    world = await startTestWorker('usage-rollup');
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  it('rolls a running agent’s time up into its owner’s hours', async () => {
    const since = Date.now() - 30 * 60_000;
    await world.app.db
      .insert(users)
      .values({ id: 'p-usage', email: 'u@example.com', username: 'usa', status: 'active' });
    await world.app.db.insert(agents).values({
      id: 'a-usage',
      userId: 'p-usage',
      username: 'usa',
      observedState: 'running',
      observedAt: new Date(since),
    });
    const utils = await world.enqueue.workerUtils();
    await utils.addJob(usageRollupSpec.name, {}, { jobKey: 'usage:rollup', queueName: 'usage-rollup' });
    await expect
      .poll(
        async () => {
          const [row] = await world.app.db
            .select({ seconds: sql<number>`coalesce(sum(${usageHourly.agentSeconds}), 0)` })
            .from(usageHourly)
            .where(sql`${usageHourly.userId} = 'p-usage'`);
          return row?.seconds ?? 0;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(30 * 60);
  });
});
