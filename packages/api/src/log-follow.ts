import { type AgentLogBatch, followAgentLogs, type LogReader } from '@pocket-smyth/core';
import type { Db } from '@pocket-smyth/db';
import type { Enqueue } from '@pocket-smyth/jobs/contract';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { logSince, logTail } from './schemas/agent-logs';

/**
 * Input of a follow subscription. `lastEventId` is what tRPC's SSE client sends back when it reconnects
 * (after a dropped connection, or `sse.maxDurationMs`): the `at` of the last line it got, so it resumes
 * there instead of showing the tail again.
 */
export const followInputFields = {
  tail: logTail.default(200),
  since: logSince.optional(),
  lastEventId: z.string().max(64).optional(),
};

/**
 * A follow as SSE events (docs/ARCHITECTURE.md, "Agent logs"): each batch tracked by the `at` of the
 * last line sent so far, so a reconnect resumes from it.
 */
export async function* followAsEvents(
  db: Db,
  deps: { enqueue: Enqueue; signal: AbortSignal | undefined },
  agentId: string,
  input: { tail: number; since?: string; lastEventId?: string },
  reader: LogReader,
) {
  let cursor =
    input.lastEventId && logSince.safeParse(input.lastEventId).success ? input.lastEventId : input.since;
  const signal = deps.signal ?? new AbortController().signal;
  const batches = followAgentLogs(
    db,
    { enqueue: deps.enqueue, signal },
    agentId,
    { tail: input.tail, since: cursor },
    reader,
  );
  for await (const batch of batches) {
    cursor = batch.lines.at(-1)?.at ?? cursor;
    // An id is required of every tracked event; before any line, the follow's start stands in.
    yield tracked<AgentLogBatch>(cursor ?? 'start', batch);
  }
}
