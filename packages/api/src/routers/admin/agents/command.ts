import { type AgentCommand, commandAgent, commandAgents } from '@pocket-smyth/core';
import { z } from 'zod';
import { changeDeps } from '../../../actor';
import { agentCommandOutcomeOutput } from '../../../schemas/agent';
import { agentOutput } from '../../../schemas/person';
import { adminProcedure } from '../../../trpc';

const agentCommands = ['start', 'stop', 'restart'] as const satisfies readonly AgentCommand[];

const summaries: Record<AgentCommand, string> = {
  start: 'Start an agent',
  stop: 'Stop an agent (its data is kept)',
  restart: 'Restart an agent; a stopped one is started',
};

/** One agent, by id: `/agents/{id}/start|stop|restart`, each a run with steps and an audit event. */
function commandOneProcedure(command: AgentCommand) {
  return adminProcedure
    .meta({
      scope: 'admin:system:write',
      openapi: {
        method: 'POST',
        path: `/agents/{id}/${command}`,
        tags: ['agents'],
        summary: summaries[command],
      },
    })
    .input(z.strictObject({ id: z.string().min(1).max(64) }))
    .output(agentOutput)
    .mutation(
      async ({ ctx, input }) =>
        (await commandAgent(ctx.db, changeDeps(ctx), { agentId: input.id }, command)).agent,
    );
}

export const startAnyAgentProcedure = commandOneProcedure('start');
export const stopAnyAgentProcedure = commandOneProcedure('stop');
export const restartAnyAgentProcedure = commandOneProcedure('restart');

/** Many agents at once (the Agents page's selection); each id gets its own result. */
export const commandAgentsProcedure = adminProcedure
  .meta({
    scope: 'admin:system:write',
    openapi: {
      method: 'POST',
      path: '/agents/command',
      tags: ['agents'],
      summary: 'Start, stop or restart many agents',
    },
  })
  .input(
    z.strictObject({
      ids: z.array(z.string().min(1).max(64)).min(1).max(1000),
      command: z.enum(agentCommands),
    }),
  )
  .output(z.object({ results: z.array(agentCommandOutcomeOutput) }))
  .mutation(async ({ ctx, input }) => ({
    results: await commandAgents(ctx.db, changeDeps(ctx), input.ids, input.command),
  }));
