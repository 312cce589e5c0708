import { type CronItem, type ParsedCronItem, parseCronItems } from 'graphile-worker';
import type { JobName } from './all-jobs';

/**
 * The recurring jobs. A crontab file cannot name them (its grammar has no '.' in task names), so they are
 * cron items. Each has a job key, so a tick that finds the previous one still waiting replaces it rather
 * than piling up, and a queue, so two polls never overlap when one runs long. No backfill: a missed
 * reconcile or poll is simply done by the next tick.
 */
export const cronItems: readonly (CronItem & { task: JobName })[] = [
  {
    task: 'reconcile.all',
    match: '* * * * *',
    identifier: 'reconcile.all',
    options: { maxAttempts: 1, queueName: 'reconcile', jobKey: 'reconcile:all', backfillPeriod: 0 },
  },
  {
    task: 'hosts.poll',
    match: '* * * * *',
    identifier: 'hosts.poll',
    options: { maxAttempts: 1, queueName: 'hosts-poll', jobKey: 'hosts:poll', backfillPeriod: 0 },
  },
];

export function parsedCrontab(): ParsedCronItem[] {
  return parseCronItems([...cronItems]);
}
