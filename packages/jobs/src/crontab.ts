import { type CronItem, type ParsedCronItem, parseCronItems } from 'graphile-worker';
import {
  type AnyJobSpec,
  hostsPollSpec,
  type JobName,
  quotaCheckSpec,
  reconcileAllSpec,
  usageRollupSpec,
} from './contract';

/** A cron item for `spec`, its key, queue and retry budget taken from the spec (a cron payload is `{}`). */
function cronItem(spec: AnyJobSpec & { name: JobName }, match: string): CronItem & { task: JobName } {
  const key = spec.key({});
  const queueName = spec.queue?.({});
  return {
    task: spec.name,
    match,
    identifier: spec.name,
    options: {
      maxAttempts: spec.maxAttempts,
      ...(queueName ? { queueName } : {}),
      ...(key ? { jobKey: key } : {}),
      backfillPeriod: 0,
    },
  };
}

/**
 * The recurring jobs. A crontab file cannot name them (its grammar has no '.' in task names), so they are
 * cron items. Each has a job key, so a tick that finds the previous one still waiting replaces it rather
 * than piling up, and a queue, so two polls never overlap when one runs long. No backfill: a missed
 * reconcile or poll is simply done by the next tick.
 */
export const cronItems: readonly (CronItem & { task: JobName })[] = [
  cronItem(reconcileAllSpec, '* * * * *'),
  cronItem(hostsPollSpec, '* * * * *'),
  cronItem(usageRollupSpec, '*/5 * * * *'),
  cronItem(quotaCheckSpec, '* * * * *'),
];

export function parsedCrontab(): ParsedCronItem[] {
  return parseCronItems([...cronItems]);
}
