import { describe, expect, it } from 'vitest';
import { allJobs, parsedCrontab } from '../src';

describe('the crontab', () => {
  it('schedules the reconciler, the host poller and the quota check every minute, each a defined job', () => {
    const items = parsedCrontab().filter((item) => item.task !== 'usage.rollup');
    const names = new Set<string>(allJobs.map((job) => job.name));
    expect(items.map((item) => item.task).sort()).toEqual(['hosts.poll', 'quota.check', 'reconcile.all']);
    for (const item of items) {
      expect(names.has(item.task)).toBe(true);
      expect(item.options).toMatchObject({ maxAttempts: 1, backfillPeriod: 0 });
      // Every minute of every hour: matches both 10:07 and 23:59 on any day.
      for (const [hour, minute] of [
        [10, 7],
        [23, 59],
      ] as const) {
        expect(item.match({ min: minute, hour, date: 15, month: 6, dow: 3 })).toBe(true);
      }
    }
  });

  it('rolls usage up every five minutes', () => {
    const rollup = parsedCrontab().find((item) => item.task === 'usage.rollup');
    expect(rollup?.options).toMatchObject({ maxAttempts: 1, backfillPeriod: 0 });
    const at = (min: number) => rollup?.match({ min, hour: 3, date: 1, month: 2, dow: 0 });
    expect([0, 5, 55].map(at)).toEqual([true, true, true]);
    expect([1, 7, 59].map(at)).toEqual([false, false, false]);
  });

  it('gives the cron payload a shape the jobs accept', () => {
    for (const name of ['hosts.poll', 'reconcile.all', 'usage.rollup', 'quota.check']) {
      const job = allJobs.find((j) => j.name === name)!;
      expect(
        job.payload.safeParse({ _cron: { ts: new Date().toISOString(), backfilled: false } }).success,
      ).toBe(true);
    }
  });
});
