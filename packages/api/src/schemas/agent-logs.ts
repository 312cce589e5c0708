import { z } from 'zod';

/** Lines to show first; a download asks for up to the host script's bound (infra/host/logs). */
export const logTail = z.number().int().min(1).max(5000);

/** The `at` of the last line already shown: RFC 3339 UTC, as the lines carry it. */
export const logSince = z
  .string()
  .regex(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/,
    'since is an RFC 3339 UTC time such as 2026-01-31T12:00:00.5Z',
  );

/** One line of the agent's output: text, never markup (the portal renders it as text). */
export const agentLogLineOutput = z.object({
  at: z.string().describe('When the runtime recorded the line, RFC 3339 UTC with nanoseconds'),
  text: z.string(),
});

export const agentLogsOutput = z.object({
  agentId: z.string(),
  username: z.string(),
  lines: z.array(agentLogLineOutput).describe('Oldest first'),
});

/** Query input of a read: `tail` lines (default 200), only those after `since`. */
export const logsQueryFields = { tail: logTail.default(200), since: logSince.optional() };
