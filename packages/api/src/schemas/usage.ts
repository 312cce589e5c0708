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

export const periodInput = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period is a month such as 2026-03')
  .optional()
  .describe('A calendar month, YYYY-MM (UTC); the current one when left out');
