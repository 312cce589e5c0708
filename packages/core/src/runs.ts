/**
 * Provisioning runs as the portal reads them (docs/ARCHITECTURE.md, "Runs and steps"): the person sees
 * their own agent's runs, admins see all and retry a failed one from its failed step. The worker writes
 * runs (packages/jobs RunRecorder); this side only reads them and asks for retries.
 */
import { agents, type Db, type DbOrTx, type RunStatus, runSteps, runs } from '@pocket-smyth/db';
import { errorClassInWords } from '@pocket-smyth/db/run-errors';
import { type JobRequest, moveAgent, reconcileAgent, restartAgent } from '@pocket-smyth/jobs/contract';
import { and, asc, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { recordAudit } from './audit';
import { conflict, notFound } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import { type ChangeDeps, requesterOf } from './ports';

export type RunRow = typeof runs.$inferSelect;
export type RunStepRow = typeof runSteps.$inferSelect;
export type RunWithSteps = RunRow & { steps: RunStepRow[] };

/** A run still moving; the browser polls (at most every 2 s) while any run it shows is active. */
export function isRunActive(run: Pick<RunRow, 'status'>): boolean {
  return run.status === 'queued' || run.status === 'running';
}

async function withSteps(db: DbOrTx, rows: RunRow[]): Promise<RunWithSteps[]> {
  if (rows.length === 0) return [];
  const steps = await db
    .select()
    .from(runSteps)
    .where(
      inArray(
        runSteps.runId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(runSteps.runId), asc(runSteps.position));
  const byRun = new Map<string, RunStepRow[]>();
  for (const step of steps) byRun.set(step.runId, [...(byRun.get(step.runId) ?? []), step]);
  return rows.map((run) => ({ ...run, steps: byRun.get(run.id) ?? [] }));
}

export interface RunListOptions {
  /** Newest first; pass the last id of a page to get the next one. */
  before?: string;
  limit?: number;
  status?: RunStatus;
}

async function listWhere(
  db: DbOrTx,
  where: SQL | undefined,
  options: RunListOptions,
): Promise<RunWithSteps[]> {
  const conditions = [where, options.before ? lt(runs.id, options.before) : undefined];
  if (options.status) conditions.push(eq(runs.status, options.status));
  const rows = await db
    .select()
    .from(runs)
    .where(and(...conditions))
    .orderBy(desc(runs.id))
    .limit(Math.min(Math.max(options.limit ?? 20, 1), 100));
  return withSteps(db, rows);
}

const somethingFailed = 'Something went wrong.';
/** The note `retryLater` (packages/jobs RunRecorder) appends to a failure that will be tried again. */
const retryNote = /\((attempt \d+ of \d+; will retry)\)$/;

/**
 * A run as its owner sees it: why a step failed in words (the error class), never the raw detail.
 * Error messages and script output name hosts, addresses, users, paths and errno codes: what an admin
 * needs to fix a host (admins read runs through `getRun`/`listRuns`, unchanged), and nothing the person
 * can act on or should see. What the portal itself wrote stays: a skipped step's reason, a cancelled
 * run's "superseded", and the retry note of a failure that will be tried again.
 */
export function runAsOwnerSeesIt(run: RunWithSteps): RunWithSteps {
  const words = (errorClass: string) => errorClassInWords[errorClass] ?? somethingFailed;
  let errorMessage = run.errorMessage;
  if (run.errorClass) {
    const note = run.errorMessage ? retryNote.exec(run.errorMessage)?.[1] : undefined;
    errorMessage = note ? `${words(run.errorClass)} (${note})` : words(run.errorClass);
  }
  return {
    ...run,
    errorMessage,
    steps: run.steps.map((step) => ({
      ...step,
      outputTail: '',
      message: step.status === 'failed' || step.errorClass ? null : step.message,
    })),
  };
}

/**
 * The runs of the person's own agent, as they see them (`runAsOwnerSeesIt`); ownership is the WHERE
 * clause, so nobody else's run can appear.
 */
export async function listRunsForPerson(
  db: DbOrTx,
  personId: string,
  options: RunListOptions = {},
): Promise<RunWithSteps[]> {
  const [agent] = await db.select({ id: agents.id }).from(agents).where(eq(agents.userId, personId)).limit(1);
  if (!agent) return [];
  return (await listWhere(db, eq(runs.agentId, agent.id), options)).map(runAsOwnerSeesIt);
}

/** One run of the person's own agent, as they see it (`runAsOwnerSeesIt`); anyone else's is NOT_FOUND. */
export async function getRunForPerson(db: DbOrTx, runId: string, personId: string): Promise<RunWithSteps> {
  return runAsOwnerSeesIt(await getRun(db, runId, personId));
}

/** Admins: every run, optionally of one agent or status. */
export async function listRuns(
  db: DbOrTx,
  options: RunListOptions & { agentId?: string } = {},
): Promise<RunWithSteps[]> {
  return listWhere(db, options.agentId ? eq(runs.agentId, options.agentId) : undefined, options);
}

/** One run; with `personId`, only if it belongs to that person's agent (else NOT_FOUND, like a missing one). */
export async function getRun(db: DbOrTx, runId: string, personId?: string): Promise<RunWithSteps> {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId)).limit(1);
  if (!run) throw notFound('Run');
  if (personId !== undefined) {
    const [owned] = await db
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, run.agentId), eq(agents.userId, personId)))
      .limit(1);
    if (!owned) throw notFound('Run');
  }
  const [withItsSteps] = await withSteps(db, [run]);
  return withItsSteps!;
}

/**
 * The job that retries `run` from its failed step: the worker continues that run (steps that succeeded
 * stay as they were). A failed restart is retried as a restart; any other kind goes through
 * `agent.reconcile`, which re-plans from the agent's current desired state — if that changed since, the
 * failed run is cancelled as superseded and the right change runs instead.
 */
export function runRetryJob(run: Pick<RunRow, 'id' | 'agentId' | 'kind'>, deps: ChangeDeps): JobRequest {
  const options = { retryRunId: run.id, requestedBy: requesterOf(deps) };
  if (run.kind === 'restart') return restartAgent(run.agentId, options);
  if (run.kind === 'move') return moveAgent(run.agentId, options);
  return reconcileAgent(run.agentId, options);
}

/**
 * An admin retries a failed run. Only the agent's newest run can be retried (an older failure was
 * overtaken by what came after it), and only once it has failed. The request is recorded in the activity
 * log, then the job is enqueued; if that enqueue is lost the run simply stays failed and can be retried
 * again.
 */
export async function requestRunRetry(db: Db, deps: ChangeDeps, runId: string): Promise<RunWithSteps> {
  const run = await db.transaction(async (tx) => {
    const found = await getRun(tx, runId);
    if (found.status !== 'failed')
      throw conflict(`This run is ${found.status}; only a failed run can be retried.`);
    const [newest] = await tx
      .select({ id: runs.id })
      .from(runs)
      .where(eq(runs.agentId, found.agentId))
      .orderBy(desc(runs.id))
      .limit(1);
    if (newest?.id !== found.id) throw conflict('A newer run exists for this agent; retry that one instead.');
    const [agent] = await tx
      .select({ id: agents.id, moveToHostId: agents.moveToHostId, movedFromHostId: agents.movedFromHostId })
      .from(agents)
      .where(eq(agents.id, found.agentId))
      .limit(1);
    if (!agent) throw conflict('The agent no longer exists.');
    // A move that failed before the target ran the agent gave up its intent and left the agent where it
    // was: there is nothing to continue (docs/ARCHITECTURE.md, "Moves and evacuations").
    if (found.kind === 'move' && !agent.moveToHostId && !agent.movedFromHostId) {
      throw conflict('This move was given up and the agent left on its host; move it again instead.');
    }
    await recordAudit(tx, deps, {
      action: 'run.retry_requested',
      target: { kind: 'run', id: found.id, label: `${found.kind} ${found.username}` },
      before: { status: found.status, errorClass: found.errorClass, attempt: found.attempt },
    });
    return found;
  });
  await enqueueAfterCommit(deps, [runRetryJob(run, deps)]);
  return run;
}
