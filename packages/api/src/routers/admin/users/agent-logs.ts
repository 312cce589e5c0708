import { findLogsAgent, readAgentLogs, recordLogsViewed } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { followAsEvents, followInputFields } from '../../../log-follow';
import { agentLogsOutput, logsQueryFields } from '../../../schemas/agent-logs';
import { adminProcedure } from '../../../trpc';

const personId = z.string().min(1).max(64);

/** A person's agent's last output lines, for an admin; each read is in the activity log. */
export const userAgentLogsProcedure = adminProcedure
  .meta({
    scope: 'admin:users:read',
    openapi: {
      method: 'GET',
      path: '/users/{id}/agent/logs',
      tags: ['users'],
      summary: 'A person’s agent’s last output lines',
      description:
        'As `GET /me/agent/logs`, for any person; recorded in the activity log (agent.logs_viewed).',
    },
  })
  .input(z.strictObject({ id: personId, ...logsQueryFields }))
  .output(agentLogsOutput)
  .query(({ ctx, input: { id, ...query } }) =>
    readAgentLogs(ctx.db, { enqueue: ctx.enqueue }, id, query, { kind: 'admin', meta: changeDeps(ctx) }),
  );

/** Follows a person's agent's output on the admin person page; recorded once, when it starts. */
export const followUserAgentLogsProcedure = adminProcedure
  .input(z.strictObject({ id: personId, ...followInputFields }))
  // No .output(): tRPC would check the generator object itself, not what it yields (AgentLogBatch,
  // the shape of which the OpenAPI-free browser client is typed by).
  .subscription(async function* ({ ctx, input: { id, ...options }, signal }) {
    const meta = changeDeps(ctx);
    const agent = await findLogsAgent(ctx.db, id);
    // Once per follow, not on a reconnect of the same one.
    if (!options.lastEventId) await recordLogsViewed(ctx.db, meta, agent);
    yield* followAsEvents(ctx.db, { enqueue: ctx.enqueue, signal }, agent.id, options, {
      kind: 'admin',
      meta,
    });
  });
