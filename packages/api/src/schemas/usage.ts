import { z } from 'zod';
import { isoDate } from './date';

const figures = {
  agentHours: z.number().describe('Hours the agent was running'),
  cpuHours: z.number().describe('CPU core-hours used'),
  memoryGbHours: z.number().describe('Memory used over time, GB·hours'),
  apiCalls: z.number().int().describe('Calls made with API tokens'),
};

/** A person's usage in one calendar month (UTC), from the daily rollups. */
export const usagePeriodOutput = z.object({
  period: z.string().describe('YYYY-MM'),
  start: isoDate(),
  resetsAt: isoDate().describe('The next period’s start, when monthly quotas reset'),
  asOf: isoDate().nullable().describe('The rollups cover the period up to here (every five minutes)'),
  totals: z.object(figures),
  days: z.array(z.object({ day: isoDate(), ...figures })),
});

const gauge = {
  used: z.number(),
  limit: z.number().nullable().describe('Null: unlimited'),
  percent: z.number().nullable().describe('Of the limit; null when unlimited'),
  warning: z.boolean().describe('At 80% of the limit or more'),
  exhausted: z.boolean(),
};

/** This month's quotas of the person's plan (docs/ARCHITECTURE.md, "Plans and quotas"). */
export const usageQuotaOutput = z
  .object({
    agentHours: z
      .object({
        ...gauge,
        planHours: z.number().nullable().describe('The plan’s monthly agent-hours; null: unlimited'),
        topUpHours: z.number().describe('One-off agent-hours granted by an admin for this month'),
      })
      .describe('Agent-hours used this month, exact to now; at 100% the agent is stopped until resetsAt'),
    apiCalls: z.object(gauge).describe('API calls this month, as of the last rollup'),
  })
  .nullable()
  .describe('This month’s quotas; null for a past month');

/** The usage of a month with this month's quotas. */
export const usageWithQuotaOutput = usagePeriodOutput.extend({ quota: usageQuotaOutput });

/** A person's agent-hours quota this month with its top-ups (the admin person page). */
export const agentQuotaOutput = z.object({
  period: z.string().describe('YYYY-MM'),
  resetsAt: isoDate(),
  planHours: z.number().nullable(),
  topUpHours: z.number(),
  limitHours: z.number().nullable().describe('Plan plus top-ups; null: unlimited'),
  usedHours: z.number(),
  percent: z.number().nullable(),
  warning: z.boolean(),
  exhausted: z.boolean(),
  topUps: z.array(
    z.object({
      id: z.string(),
      agentHours: z.number(),
      reason: z.string(),
      grantedByLabel: z.string().nullable(),
      grantedAt: isoDate(),
    }),
  ),
});

export const periodInput = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period is a month such as 2026-03')
  .optional()
  .describe('A calendar month, YYYY-MM (UTC); the current one when left out');
