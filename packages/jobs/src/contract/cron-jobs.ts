import { z } from 'zod';
import { defineJobSpec } from './job-spec';

/** graphile-worker adds `_cron` to the payload of jobs it schedules; a job started by hand has none. */
export const cronPayload = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
});

/** Cron starts `hosts.poll` every minute; inside, it polls every 15 s, so four rounds per job. */
export const hostPollRounds = 4;

/**
 * Cron, every minute: heal what a lost enqueue left behind (drifted agents, queued mail, requested
 * restarts). One at a time, and a missed tick is simply done by the next one.
 */
export const reconcileAllSpec = defineJobSpec({
  name: 'reconcile.all',
  payload: cronPayload,
  key: () => 'reconcile:all',
  queue: () => 'reconcile',
  maxAttempts: 1,
});

/** Cron, every minute: poll every host's status and stats. A missed round is simply the next round. */
export const hostsPollSpec = defineJobSpec({
  name: 'hosts.poll',
  payload: cronPayload.extend({ rounds: z.number().int().min(1).max(hostPollRounds).optional() }),
  key: () => 'hosts:poll',
  queue: () => 'hosts-poll',
  maxAttempts: 1,
});

/**
 * Cron, every minute: the monthly agent-hours quota of every person who has one (docs/ARCHITECTURE.md,
 * "Plans and quotas"): the 80% mails, the stop at 100%, the restart once there is room again. Each
 * notice is recorded per month, so a missed or repeated tick sends nothing twice.
 */
export const quotaCheckSpec = defineJobSpec({
  name: 'quota.check',
  payload: cronPayload,
  key: () => 'quota:check',
  queue: () => 'quota-check',
  maxAttempts: 1,
});

/**
 * Cron, every five minutes: roll running time, CPU and memory up into per-person hours and days, and
 * prune what is past its retention (docs/ARCHITECTURE.md, "Usage metering"). Each run recomputes the
 * hours that may have changed, so a missed tick is covered by the next.
 */
export const usageRollupSpec = defineJobSpec({
  name: 'usage.rollup',
  payload: cronPayload,
  key: () => 'usage:rollup',
  queue: () => 'usage-rollup',
  maxAttempts: 1,
});
