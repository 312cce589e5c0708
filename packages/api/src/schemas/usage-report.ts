import { z } from 'zod';
import { isoDate } from './date';

const figures = {
  agentHours: z.number().describe('Hours the agent was running'),
  cpuHours: z.number().describe('CPU core-hours used'),
  memoryGbHours: z.number().describe('Memory used over time, GB·hours'),
  apiCalls: z.number().int().describe('Calls made with API tokens'),
};

const personUsage = z.object({
  personId: z.string(),
  email: z.string().nullable().describe('Null when the person has since been deleted'),
  username: z.string().nullable(),
  planId: z.string().nullable(),
  planName: z.string().nullable(),
  ...figures,
});

export const usageReportOutput = z.object({
  period: z.string().describe('YYYY-MM'),
  start: isoDate(),
  resetsAt: isoDate(),
  planId: z.string().nullable(),
  asOf: isoDate().nullable().describe('The rollups cover the period up to here (every five minutes)'),
  plans: z.array(z.object({ id: z.string(), name: z.string() })),
  totals: z.object(figures),
  days: z.array(
    z.object({
      day: isoDate(),
      ...figures,
      people: z.number().int().describe('People whose agent ran that day'),
    }),
  ),
  top: z.array(personUsage).describe('The top consumers by agent-hours'),
});

export const usagePeopleOutput = z.object({
  period: z.string(),
  items: z.array(personUsage),
  nextCursor: z.string().nullable(),
});
