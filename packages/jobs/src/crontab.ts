import { type ParsedCronItem, parseCrontab } from 'graphile-worker';

/**
 * The recurring jobs. Each line's job key means a tick that finds the previous one still waiting replaces
 * it rather than piling up; the queue keeps two polls from overlapping when one runs long.
 *
 * min hour dom month dow task ?options
 */
export const crontab = `
* * * * * reconcile.all ?max=1&queue=reconcile&jobKey=reconcile:all
* * * * * hosts.poll ?max=1&queue=hosts-poll&jobKey=hosts:poll
`;

export function parsedCrontab(): ParsedCronItem[] {
  return parseCrontab(crontab);
}
