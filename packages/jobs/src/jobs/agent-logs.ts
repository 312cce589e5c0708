import { agentLogReads, agents } from '@pocket-smyth/db';
import { eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { ScriptFailedError } from '../agents/script-call';
import { agentLogsSpec } from '../contract/agent-logs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps, PlacedAgent } from '../deps';
import { errorClassOf } from '../errors';

/** An answer nobody collected within this long is removed by the next read. */
const UNCOLLECTED_MS = 60_000;
/** The asker gives up after a few seconds; a read that takes longer is of no use to anyone. */
const READ_TIMEOUT_MS = 10_000;

const logsOutput = z.object({
  ok: z.literal(true),
  lines: z.array(z.object({ at: z.string(), text: z.string() })),
});

/**
 * Reads an agent's last output lines for someone waiting in the portal (docs/ARCHITECTURE.md, "Agent
 * logs") and writes the answer, or why there is none, to `agent_log_reads`. A failure is an answer too:
 * the job itself succeeds, since nobody would wait for a retry.
 */
export const agentLogs = defineJob(agentLogsSpec, async (payload, { deps, signal }: JobContext<JobDeps>) => {
  await deps.db
    .delete(agentLogReads)
    .where(lt(agentLogReads.createdAt, new Date(Date.now() - UNCOLLECTED_MS)));
  const answer = await readLogs(deps, payload, signal).catch((error: unknown) => ({
    lines: null,
    errorClass: errorClassOf(error),
    errorMessage: error instanceof Error ? error.message : String(error),
  }));
  await deps.db
    .insert(agentLogReads)
    .values({ id: payload.readId, agentId: payload.agentId, ...answer })
    .onConflictDoNothing();
});

type Answer = { lines: string | null; errorClass: string | null; errorMessage: string | null };

async function readLogs(
  deps: JobDeps,
  payload: { agentId: string; tail: number; since: string | null },
  signal: AbortSignal,
): Promise<Answer> {
  const [agent] = await deps.db.select().from(agents).where(eq(agents.id, payload.agentId));
  // Never placed: nothing has run, so there is nothing to read (not an error).
  if (!agent?.hostId) return { lines: '[]', errorClass: null, errorMessage: null };
  const transport = await deps.hosts.hostsFor(agent as PlacedAgent);
  const args = [agent.username, String(payload.tail), payload.since ?? ''];
  const result = await transport.exec('logs', args, { signal, timeoutMs: READ_TIMEOUT_MS });
  if (result.code !== 0) {
    const failure = new ScriptFailedError('logs', result);
    const code = scriptErrorCode(result.stdout);
    // An agent whose container or directory is gone has no lines: the same answer as never placed.
    if (code === 'not_provisioned') return { lines: '[]', errorClass: null, errorMessage: null };
    throw failure;
  }
  const parsed = logsOutput.safeParse(lastJsonLine(result.stdout));
  if (!parsed.success) throw new Error('logs printed output that does not match its contract');
  return { lines: JSON.stringify(parsed.data.lines), errorClass: null, errorMessage: null };
}

function lastJsonLine(stdout: string): unknown {
  try {
    return JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '');
  } catch {
    return undefined;
  }
}

function scriptErrorCode(stdout: string): string | null {
  const parsed = lastJsonLine(stdout) as { error?: { code?: unknown } } | undefined;
  return typeof parsed?.error?.code === 'string' ? parsed.error.code : null;
}
