import { randomBytes } from 'node:crypto';
import { agentLogReads, agents, type Db } from '@pocket-smyth/db';
import { errorClassInWords } from '@pocket-smyth/db/run-errors';
import { type Enqueue, readAgentLogs as readAgentLogsJob } from '@pocket-smyth/jobs/contract';
import { eq } from 'drizzle-orm';
import { recordAudit } from './audit';
import { AppError, notFound } from './errors';
import type { ChangeMeta } from './ports';

/**
 * An agent's logs (docs/ARCHITECTURE.md, "Agent logs"). The portal holds no host credentials, so it asks
 * the worker: an `agent.logs` job names a read id, the worker runs the host's `logs` script and writes
 * the answer to `agent_log_reads` under that id, and the portal polls for the row and deletes it. Lines
 * are plain text; whoever shows them must not read them as markup.
 */
export interface AgentLogLine {
  /** When the runtime recorded the line: RFC 3339 UTC with nanoseconds, so lines sort as strings. */
  at: string;
  text: string;
}

export interface AgentLogsQuery {
  /** The last this many lines (1–5000). */
  tail: number;
  /** Only lines recorded after this moment (exclusive): the `at` of the last line already shown. */
  since?: string | null;
}

export interface AgentLogs {
  agentId: string;
  username: string;
  lines: AgentLogLine[];
}

export interface LogReadDeps {
  enqueue: Enqueue;
  /** How long to wait for the worker's answer. Default 12 s (the host call itself is cut at 10 s). */
  timeoutMs?: number;
  /** How often to look for it. Default 50 ms. */
  pollMs?: number;
  signal?: AbortSignal;
}

/** Who is reading: the owner sees failures in words, an admin the worker's message too (and is audited). */
export type LogReader = { kind: 'owner' } | { kind: 'admin'; meta: ChangeMeta };

/** The agent of a person, for a log read: 404 when there is none (or the person is not there). */
export async function findLogsAgent(db: Db, personId: string) {
  const [agent] = await db
    .select({ id: agents.id, username: agents.username })
    .from(agents)
    .where(eq(agents.userId, personId))
    .limit(1);
  if (!agent) throw notFound('Agent');
  return agent;
}

/**
 * Records that an admin read someone's agent logs (what an agent prints is its owner's business). A
 * follow is recorded once, when it starts, not for each poll.
 */
export async function recordLogsViewed(db: Db, meta: ChangeMeta, agent: { id: string; username: string }) {
  await recordAudit(db, meta, {
    action: 'agent.logs_viewed',
    target: { kind: 'agent', id: agent.id, label: agent.username },
  });
}

/** The person's agent's last lines: `readLogsOf` for one read, with the admin's read audited. */
export async function readAgentLogs(
  db: Db,
  deps: LogReadDeps,
  personId: string,
  query: AgentLogsQuery,
  reader: LogReader,
): Promise<AgentLogs> {
  const agent = await findLogsAgent(db, personId);
  if (reader.kind === 'admin') await recordLogsViewed(db, reader.meta, agent);
  return {
    agentId: agent.id,
    username: agent.username,
    lines: await readLogsOf(db, deps, agent.id, query, reader),
  };
}

/** Asks the worker for the agent's lines and waits for its answer. */
export async function readLogsOf(
  db: Db,
  deps: LogReadDeps,
  agentId: string,
  query: AgentLogsQuery,
  reader: LogReader,
): Promise<AgentLogLine[]> {
  // Never placed (still waiting for a host, or never approved): nothing has run, so nothing to ask for.
  const [placed] = await db.select({ hostId: agents.hostId }).from(agents).where(eq(agents.id, agentId));
  if (!placed?.hostId) return [];
  const readId = randomBytes(16).toString('base64url');
  try {
    await deps.enqueue([readAgentLogsJob(readId, agentId, { tail: query.tail, since: query.since ?? null })]);
  } catch {
    throw unavailable('the job queue could not be reached', reader);
  }
  const deadline = Date.now() + (deps.timeoutMs ?? 12_000);
  const pollMs = deps.pollMs ?? 50;
  for (;;) {
    const [answer] = await db.select().from(agentLogReads).where(eq(agentLogReads.id, readId));
    if (answer) {
      await db.delete(agentLogReads).where(eq(agentLogReads.id, readId));
      if (answer.lines !== null) return JSON.parse(answer.lines) as AgentLogLine[];
      throw unavailable(
        errorClassInWords[answer.errorClass ?? 'internal'] ?? errorClassInWords.internal ?? '',
        reader,
        answer.errorMessage,
      );
    }
    if (Date.now() >= deadline) throw unavailable('no worker answered in time', reader);
    if (deps.signal?.aborted) throw deps.signal.reason;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function unavailable(why: string, reader: LogReader, detail?: string | null): AppError {
  const words = why.replace(/\.$/, '');
  const message =
    reader.kind === 'admin' && detail
      ? `Could not read the agent's logs: ${words} (${detail})`
      : `Could not read the agent's logs: ${words}. Try again in a moment.`;
  return new AppError('SERVICE_UNAVAILABLE', message);
}

/** One batch of a follow: the lines new since the last batch, or why this poll found none. */
export interface AgentLogBatch {
  lines: AgentLogLine[];
  /** Set when this poll failed; the follow goes on and tries again. */
  error: string | null;
}

export interface FollowOptions {
  /** Lines shown first: the last this many (or, with `since`, all after it up to this many). */
  tail: number;
  since?: string | null;
  /** Between polls. Default 2 s. */
  intervalMs?: number;
}

/** The most lines one poll of a follow brings: more than an agent writes in two seconds, but bounded. */
const FOLLOW_POLL_TAIL = 1000;

/**
 * Follows the agent's output while someone watches: the last `tail` lines first, then, every
 * `intervalMs`, whatever came after the last line sent (each poll is one log read through the worker).
 * An empty first batch is sent too, so the viewer knows the read worked; later empty polls send nothing.
 * A failed poll sends its message and the follow continues; it ends when `signal` aborts.
 */
export async function* followAgentLogs(
  db: Db,
  deps: LogReadDeps & { signal: AbortSignal },
  agentId: string,
  options: FollowOptions,
  reader: LogReader,
): AsyncGenerator<AgentLogBatch> {
  let since = options.since ?? null;
  let first = true;
  while (!deps.signal.aborted) {
    try {
      // After the first batch, every line since the last one, however few the viewer asked to start with.
      const tail = first ? options.tail : FOLLOW_POLL_TAIL;
      const lines = await readLogsOf(db, deps, agentId, { tail, since }, reader);
      if (lines.length > 0) since = lines.at(-1)?.at ?? since;
      if (lines.length > 0 || first) yield { lines, error: null };
    } catch (error) {
      if (deps.signal.aborted) return;
      yield {
        lines: [],
        error: error instanceof AppError ? error.message : "Could not read the agent's logs.",
      };
    }
    first = false;
    await abortableSleep(options.intervalMs ?? 2_000, deps.signal);
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
