import { findLogsAgent, readAgentLogs } from '@pocket-smyth/core';
import { z } from 'zod';
import { followAsEvents, followInputFields } from '../../log-follow';
import { agentLogsOutput, logsQueryFields } from '../../schemas/agent-logs';
import { activeProcedure } from '../../trpc';

/** The caller's agent's last output lines (docs/ARCHITECTURE.md, "Agent logs"). */
export const agentLogsProcedure = activeProcedure
  .meta({
    scope: 'agent:read',
    openapi: {
      method: 'GET',
      path: '/me/agent/logs',
      tags: ['agent'],
      summary: 'Your agent’s last output lines',
      description:
        'The last `tail` lines (1–5000, default 200), only those after `since` when given (the `at` of the last line you have). 503 when no worker answered within seconds.',
    },
  })
  .input(z.strictObject(logsQueryFields))
  .output(agentLogsOutput)
  .query(({ ctx, input }) =>
    readAgentLogs(ctx.db, { enqueue: ctx.enqueue }, ctx.principal.person.id, input, { kind: 'owner' }),
  );

/**
 * Follows the caller's agent's output while the dashboard is open: a tRPC subscription, over SSE. The
 * browser only (no scope): tools read `GET /me/agent/logs` with `since`.
 */
export const followAgentLogsProcedure = activeProcedure
  .input(z.strictObject(followInputFields))
  // No .output(): tRPC would check the generator object itself, not what it yields (AgentLogBatch,
  // the shape of which the OpenAPI-free browser client is typed by).
  .subscription(async function* ({ ctx, input, signal }) {
    const agent = await findLogsAgent(ctx.db, ctx.principal.person.id);
    yield* followAsEvents(ctx.db, { enqueue: ctx.enqueue, signal }, agent.id, input, { kind: 'owner' });
  });
