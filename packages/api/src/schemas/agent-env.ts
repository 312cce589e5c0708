import { z } from 'zod';
import { isoDate } from './date';

/** One of an agent's environment variables as it is shown back: never the value, its last four at most. */
export const agentEnvVarOutput = z.object({
  name: z.string(),
  last4: z.string().describe('The last four characters of the value; empty for a value under 8 characters.'),
  updatedAt: isoDate(),
});

export const agentEnvSetOutput = z.object({
  variable: agentEnvVarOutput,
  restarting: z.boolean().describe('True when the running agent is being provisioned again to get it.'),
});

export const agentEnvDeleteOutput = z.object({
  restarting: z.boolean().describe('True when the running agent is being provisioned again without it.'),
});

/**
 * Bounds only: the rules (pattern, reserved names, size in bytes, no line breaks) are the domain's
 * (`agentEnvNameProblem`, `agentEnvValueProblem`), which answer 400 naming the rule.
 */
export const agentEnvNameInput = z.string().min(1).max(64);
export const agentEnvValueInput = z.string().max(8 * 1024);
