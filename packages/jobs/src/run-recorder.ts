import {
  type ActorKind,
  type DbOrTx,
  type RunKind,
  type RunStatus,
  runSteps,
  runs,
  type StepStatus,
  timeOrderedId,
} from '@pocket-smyth/db';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { errorClassOf, errorMessageOf } from './errors';

export type RunRow = typeof runs.$inferSelect;
export type StepRow = typeof runSteps.$inferSelect;

/** How many lines of output a step keeps; the person watching needs the end, not the whole log. */
export const outputTailLines = 40;
/** A bound on characters too, so one enormous line cannot bloat the row. */
export const outputTailChars = 8_000;
/** Output is written at most this often while a step runs (and always when it ends). */
const outputFlushMs = 250;

/** Appends `text` to `tail`, keeping the last `outputTailLines` lines and `outputTailChars` characters. */
export function appendToTail(tail: string, text: string): string {
  if (!text) return tail;
  const joined = tail ? `${tail}${tail.endsWith('\n') ? '' : '\n'}${text}` : text;
  const lines = joined.replace(/\n$/, '').split('\n');
  let kept = lines.slice(-outputTailLines).join('\n');
  if (kept.length > outputTailChars) kept = kept.slice(-outputTailChars);
  return kept;
}

export interface Requester {
  kind: ActorKind;
  id: string | null;
  label: string | null;
}

export interface NewRun {
  agentId: string;
  username: string;
  kind: RunKind;
  /** Step names in order. */
  steps: readonly string[];
  requestedBy?: Requester;
  jobId?: string | null;
}

/** What a step's body can do besides returning or throwing. */
export interface StepHandle {
  /** Adds output (script stdout/stderr, progress lines) to the step's tail. */
  output(text: string): void;
  /** Ends the step as skipped, with the reason shown to the person (e.g. "identity provider not configured"). */
  skip(message: string): void;
}

class StepSkipped {
  constructor(readonly message: string) {}
}

/**
 * Records one run and its ordered steps in libSQL (docs/ARCHITECTURE.md, "Runs and steps"). Each state change is one statement, or one
 * transaction when a step and its run change together, so a reader never sees a failed step under a run
 * that still claims to be fine.
 *
 * A retried run keeps its rows: steps that succeeded (or were skipped) stay as they were and are not run
 * again; the first failed step and everything after it run anew.
 */
export class RunRecorder {
  private constructor(
    private readonly db: DbOrTx,
    private run: RunRow,
    private steps: StepRow[],
  ) {}

  get id(): string {
    return this.run.id;
  }

  get row(): RunRow {
    return this.run;
  }

  get stepRows(): readonly StepRow[] {
    return this.steps;
  }

  /** Creates a queued run with all its steps queued. */
  static async create(db: DbOrTx, spec: NewRun): Promise<RunRecorder> {
    if (spec.steps.length === 0) throw new Error('A run needs at least one step');
    const runId = timeOrderedId();
    const now = new Date();
    const created = await db.transaction(async (tx) => {
      const [run] = await tx
        .insert(runs)
        .values({
          id: runId,
          agentId: spec.agentId,
          username: spec.username,
          kind: spec.kind,
          status: 'queued',
          requestedByKind: spec.requestedBy?.kind ?? 'system',
          requestedById: spec.requestedBy?.id ?? null,
          requestedByLabel: spec.requestedBy?.label ?? null,
          jobId: spec.jobId ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const steps = await tx
        .insert(runSteps)
        .values(spec.steps.map((name, position) => ({ runId, position, name })))
        .returning();
      return { run: run!, steps };
    });
    return new RunRecorder(db, created.run, sortSteps(created.steps));
  }

  static async load(db: DbOrTx, runId: string): Promise<RunRecorder | null> {
    const [run] = await db.select().from(runs).where(eq(runs.id, runId)).limit(1);
    if (!run) return null;
    const steps = await db
      .select()
      .from(runSteps)
      .where(eq(runSteps.runId, runId))
      .orderBy(asc(runSteps.position));
    return new RunRecorder(db, run, steps);
  }

  /** The agent's newest run that has not ended (queued or running), if any. */
  static async findUnfinished(db: DbOrTx, agentId: string): Promise<RunRecorder | null> {
    const [run] = await db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.agentId, agentId), inArray(runs.status, ['queued', 'running'])))
      .orderBy(desc(runs.id))
      .limit(1);
    return run ? RunRecorder.load(db, run.id) : null;
  }

  /**
   * Makes a failed (or interrupted) run runnable again from its first unfinished step: that step and the
   * ones after it go back to queued, earlier succeeded/skipped steps stay as they were, and the run's
   * attempt goes up when it had failed. Returns false when the run already succeeded or was cancelled.
   */
  async prepareRetry(options: { requestedBy?: Requester; jobId?: string | null } = {}): Promise<boolean> {
    if (this.run.status === 'succeeded' || this.run.status === 'cancelled') return false;
    const firstUnfinished = this.steps.findIndex((s) => s.status !== 'succeeded' && s.status !== 'skipped');
    const now = new Date();
    const wasFailed = this.run.status === 'failed';
    await this.db.transaction(async (tx) => {
      for (const step of this.steps.slice(firstUnfinished === -1 ? this.steps.length : firstUnfinished)) {
        await tx
          .update(runSteps)
          .set({ status: 'queued', endedAt: null, errorClass: null, message: null })
          .where(eq(runSteps.id, step.id));
      }
      await tx
        .update(runs)
        .set({
          status: 'queued',
          attempt: wasFailed ? this.run.attempt + 1 : this.run.attempt,
          errorClass: null,
          errorMessage: null,
          endedAt: null,
          updatedAt: now,
          ...(options.requestedBy
            ? {
                requestedByKind: options.requestedBy.kind,
                requestedById: options.requestedBy.id,
                requestedByLabel: options.requestedBy.label,
              }
            : {}),
          ...(options.jobId !== undefined ? { jobId: options.jobId } : {}),
        })
        .where(eq(runs.id, this.run.id));
    });
    await this.reload();
    return true;
  }

  /** Marks the run running (first start, or the next attempt of the same job). */
  async start(options: { jobId?: string | null } = {}): Promise<void> {
    const now = new Date();
    await this.db
      .update(runs)
      .set({
        status: 'running',
        startedAt: this.run.startedAt ?? now,
        updatedAt: now,
        ...(options.jobId !== undefined ? { jobId: options.jobId } : {}),
      })
      .where(eq(runs.id, this.run.id));
    await this.reload();
  }

  /**
   * Runs the step called `name` unless it already succeeded or was skipped in an earlier attempt. The
   * body's error is recorded on the step (class and message) and rethrown; `fail`/`retryLater` decide
   * what the run shows.
   */
  async step(name: string, body: (step: StepHandle) => Promise<void>): Promise<void> {
    const step = this.steps.find((s) => s.name === name);
    if (!step) throw new Error(`Run ${this.run.id} has no step named ${name}`);
    if (step.status === 'succeeded' || step.status === 'skipped') return;

    const startedAt = new Date();
    let tail = step.outputTail;
    let lastFlush = startedAt.getTime();
    let flushTimer: NodeJS.Timeout | undefined;
    let pendingFlush: Promise<unknown> = Promise.resolve();
    const flush = () => {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      lastFlush = Date.now();
      const text = tail;
      pendingFlush = pendingFlush
        .then(() => this.db.update(runSteps).set({ outputTail: text }).where(eq(runSteps.id, step.id)))
        .catch(() => {});
    };
    let skipped: StepSkipped | null = null;
    const handle: StepHandle = {
      // Output is written at most every outputFlushMs while the step runs, and with the step's end: a
      // step that ends within that time (most do) costs no write of its own for its output.
      output: (text) => {
        tail = appendToTail(tail, text);
        flushTimer ??= setTimeout(flush, Math.max(0, lastFlush + outputFlushMs - Date.now()));
      },
      skip: (message) => {
        skipped = new StepSkipped(message);
      },
    };

    await this.db
      .update(runSteps)
      .set({
        status: 'running',
        attempts: step.attempts + 1,
        startedAt,
        endedAt: null,
        errorClass: null,
        message: null,
      })
      .where(eq(runSteps.id, step.id));

    let failure: unknown = null;
    try {
      await body(handle);
    } catch (error) {
      failure = error;
    }
    // The end's own write carries the output; only one already under way is waited for.
    clearTimeout(flushTimer);
    await pendingFlush;

    const endedAt = new Date();
    const outcome: { status: StepStatus; errorClass: string | null; message: string | null } = failure
      ? { status: 'failed', errorClass: errorClassOf(failure), message: errorMessageOf(failure) }
      : skipped
        ? { status: 'skipped', errorClass: null, message: (skipped as StepSkipped).message }
        : { status: 'succeeded', errorClass: null, message: null };
    // Some errors carry the tail of the output that explains them (e.g. a failed script).
    const errorTail = (failure as { outputTail?: unknown } | null)?.outputTail;
    if (typeof errorTail === 'string' && errorTail && !tail.endsWith(errorTail)) {
      tail = appendToTail(tail, errorTail);
    }
    await this.db
      .update(runSteps)
      .set({ ...outcome, endedAt, outputTail: tail })
      .where(eq(runSteps.id, step.id));
    // The row as written, without reading it back: only this job writes this run's steps (an agent's
    // jobs never overlap), and a read of the run and its steps after every step was a sixth of a
    // provision's statements.
    this.steps = this.steps.map((s) =>
      s.id === step.id
        ? {
            ...s,
            status: outcome.status,
            attempts: step.attempts + 1,
            startedAt,
            endedAt,
            errorClass: outcome.errorClass,
            message: outcome.message,
            outputTail: tail,
          }
        : s,
    );
    if (failure) throw failure;
  }

  /**
   * The run succeeded. `alongside` writes in the same transaction (the agent's new observed state), so
   * nobody reads a succeeded run beside an agent still "provisioning".
   */
  async succeed(alongside?: (tx: DbOrTx) => Promise<void>): Promise<void> {
    await this.end('succeeded', null, alongside);
  }

  /**
   * The run failed for good (permanent error, or the last attempt): it waits for an admin's retry.
   * `alongside` writes in the same transaction (the attention mails), so they exist exactly when this
   * failure does: once per failure, never for one that a crash kept from being recorded.
   */
  async fail(error: unknown, alongside?: (tx: DbOrTx) => Promise<void>): Promise<void> {
    await this.end('failed', error, alongside);
  }

  /**
   * An attempt failed but the job will be retried: the run stays running and says why it is waiting;
   * the failed step keeps its class and message until it runs again.
   */
  async retryLater(error: unknown, note: string): Promise<void> {
    await this.db
      .update(runs)
      .set({
        errorClass: errorClassOf(error),
        errorMessage: `${errorMessageOf(error)} (${note})`,
        updatedAt: new Date(),
      })
      .where(eq(runs.id, this.run.id));
    await this.reload();
  }

  /** Marks a run that a newer intent replaced (e.g. a stop arrived while a provision was queued). */
  async cancel(reason: string): Promise<void> {
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await tx
        .update(runSteps)
        .set({ status: 'skipped', message: reason, endedAt: now })
        .where(and(eq(runSteps.runId, this.run.id), inArray(runSteps.status, ['queued', 'running'])));
      await tx
        .update(runs)
        .set({ status: 'cancelled', errorMessage: reason, endedAt: now, updatedAt: now })
        .where(eq(runs.id, this.run.id));
    });
    await this.reload();
  }

  private async end(
    status: RunStatus,
    error: unknown,
    alongside?: (tx: DbOrTx) => Promise<void>,
  ): Promise<void> {
    const now = new Date();
    await this.db.transaction(async (tx) => {
      if (status === 'succeeded') {
        // Steps the body never reached (it returned early because there was nothing to do).
        await tx
          .update(runSteps)
          .set({ status: 'skipped', message: 'Not needed', endedAt: now })
          .where(and(eq(runSteps.runId, this.run.id), eq(runSteps.status, 'queued')));
      }
      await tx
        .update(runs)
        .set({
          status,
          errorClass: error ? errorClassOf(error) : null,
          errorMessage: error ? errorMessageOf(error) : null,
          endedAt: now,
          updatedAt: now,
        })
        .where(eq(runs.id, this.run.id));
      await alongside?.(tx);
    });
    await this.reload();
  }

  private async reload(): Promise<void> {
    const fresh = await RunRecorder.load(this.db, this.run.id);
    if (!fresh) throw new Error(`Run ${this.run.id} disappeared`);
    this.run = fresh.run;
    this.steps = fresh.steps;
  }
}

function sortSteps(steps: StepRow[]): StepRow[] {
  return [...steps].sort((a, b) => a.position - b.position);
}
