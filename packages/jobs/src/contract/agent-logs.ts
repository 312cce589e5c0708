import { z } from 'zod';
import { defineJobSpec } from './job-spec';

/** The most lines one read returns: the host script's own bound (infra/host/logs). */
export const MAX_AGENT_LOG_TAIL = 5000;

/**
 * Reads an agent's last output lines for someone waiting in the portal (docs/ARCHITECTURE.md, "Agent
 * logs"): the worker runs the host's `logs` script and writes the answer to `agent_log_reads` under
 * `readId`, which the asker chose and polls for. Not in the agent's queue, so a read never waits behind a
 * provision; one attempt, because the asker waits only seconds and asks again itself; ahead of other jobs
 * (graphile's priority), because someone is watching.
 */
export const agentLogsSpec = defineJobSpec({
  name: 'agent.logs',
  payload: z.object({
    readId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    agentId: z.string().min(1).max(64),
    tail: z.number().int().min(1).max(MAX_AGENT_LOG_TAIL),
    /** Only lines after this moment (RFC 3339 UTC, as a previous read's last line gave it). */
    since: z
      .string()
      .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/)
      .nullable(),
  }),
  key: (payload) => `logs:${payload.readId}` as const,
  maxAttempts: 1,
  priority: -10,
});
