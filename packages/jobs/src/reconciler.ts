import { agents, type Db, hostEvacuations, outbox, runs } from '@pocket-smyth/db';
import { and, asc, eq, gt, isNotNull, isNull, lte, ne, or, sql } from 'drizzle-orm';
import {
  advanceRollout,
  continueEvacuation,
  type JobRequest,
  moveAgent,
  provisionAgent,
  reconcileAgent,
  restartAgent,
  sendMail,
} from './contract';
import { findMovingRollouts } from './rollouts/advance';

const pageSize = 500;

/**
 * How long after its commit a request may still be on its way to the queue: the portal enqueues right
 * after the commit (and gives the queue 5 s), so anything older that has no job was lost. The reconciler
 * leaves younger rows alone, or it could race the enqueue it is meant to back up.
 */
export const lostEnqueueGraceMs = 2 * 60_000;

/**
 * Queued mail older than this is no longer re-sent: after a day the outbox shows it to the admins, who
 * know better than a late mail whether it still matters. It also bounds the scan.
 */
export const mailHealWindowMs = 24 * 3_600_000;

/**
 * Agents whose observed state differs from the desired one (see `plannedChange`), oldest first — except
 * those whose newest run failed for good after the last change of intent: they wait for an admin's
 * retry or a new intent instead of failing again every minute.
 */
export async function findDriftedAgents(db: Db, afterId = '', limit = pageSize) {
  const latestRunFailed = sql`(
    select r.status = 'failed' and r.created_at >= ${agents.desiredAt}
      from ${runs} r where r.agent_id = ${agents.id} order by r.id desc limit 1
  )`;
  return db
    .select({ id: agents.id, desiredState: agents.desiredState, observedState: agents.observedState })
    .from(agents)
    .where(
      and(
        gt(agents.id, afterId),
        sql`(
          (${agents.desiredState} = 'running' and ${agents.observedState} <> 'running')
          or (${agents.desiredState} = 'stopped' and ${agents.observedState} not in ('stopped', 'absent'))
          or ${agents.desiredState} = 'absent'
        )`,
        sql`coalesce(${latestRunFailed}, 0) = 0`,
      ),
    )
    .orderBy(asc(agents.id))
    .limit(limit);
}

/**
 * Outbox rows written by a committed change but never attempted: still `queued`, no delivery error
 * recorded (a `mail.send` that ran and failed leaves one), older than the grace period and younger than
 * the heal window; oldest first, one page after `cursor`. Sign-in links are left out: they are sent in
 * the sign-in request itself, with no job, and a late copy of an old link would only confuse.
 */
export async function findUnsentMail(
  db: Db,
  window: { from: Date; to: Date },
  cursor: { createdAt: Date; id: string } | null = null,
  limit = pageSize,
) {
  return db
    .select({ id: outbox.id, createdAt: outbox.createdAt })
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'queued'),
        isNull(outbox.error),
        ne(outbox.kind, 'magic_link'),
        gt(outbox.createdAt, window.from),
        lte(outbox.createdAt, window.to),
        cursor
          ? or(
              gt(outbox.createdAt, cursor.createdAt),
              and(eq(outbox.createdAt, cursor.createdAt), gt(outbox.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(outbox.createdAt), asc(outbox.id))
    .limit(limit);
}

/**
 * Agents whose owner asked for a restart (`requestAgentRestart`) before `before` that no restart job
 * has taken up, and that can still be restarted (meant to run, and running). Any change of the desired
 * state clears the request, and the `agent.restart` job clears it when it starts.
 */
export function findPendingRestarts(db: Db, before: Date, afterId = '', limit = pageSize) {
  return findPendingRequests(db, 'restart', before, afterId, limit);
}

/**
 * What the portal records on an agent for a job still to come, the job that serves it, and the column
 * that holds it: a restart (`restart_requested_at`, the `agent.restart` job clears it) or new environment
 * variables (`env_changed_at`, the provision step that delivers them clears it).
 */
const pendingRequests = {
  restart: { column: agents.restartRequestedAt, job: restartAgent },
  env: { column: agents.envChangedAt, job: provisionAgent },
} as const;

type PendingRequest = keyof typeof pendingRequests;

/**
 * Agents with a request of `kind` recorded before `before` that no job has taken up, and still meant
 * to run and running (one that drifted is provisioned by the drift path, which serves both).
 */
export async function findPendingRequests(
  db: Db,
  kind: PendingRequest,
  before: Date,
  afterId = '',
  limit = pageSize,
) {
  const { column } = pendingRequests[kind];
  return db
    .select({ id: agents.id })
    .from(agents)
    .where(
      and(
        gt(agents.id, afterId),
        isNotNull(column),
        lte(column, before),
        eq(agents.desiredState, 'running'),
        eq(agents.observedState, 'running'),
      ),
    )
    .orderBy(asc(agents.id))
    .limit(limit);
}

export interface ReconcileDeps {
  db: Db;
  jobsInFlight(keys: readonly string[]): Promise<Set<string>>;
  enqueue(requests: JobRequest[]): Promise<void>;
}

export interface ReconcileResult {
  drifted: number;
  /** Agent ids a job was enqueued for. */
  enqueued: string[];
}

export interface ReconcileOptions {
  /** The reconciler's clock (tests). */
  now?: Date;
}

/** Enqueues, page by page, the request of each item whose job key has no job in flight. */
async function enqueueIdle<T>(
  deps: ReconcileDeps,
  page: readonly T[],
  request: (item: T) => JobRequest,
): Promise<T[]> {
  const requests = page.map((item) => ({ item, request: request(item) }));
  const inFlight = await deps.jobsInFlight(requests.map((r) => r.request.key));
  const idle = requests.filter((r) => !inFlight.has(r.request.key));
  if (idle.length > 0) await deps.enqueue(idle.map((r) => r.request));
  return idle.map((r) => r.item);
}

/**
 * The safety net of "commit, then enqueue" for agents: a lost enqueue (the portal committed, then
 * Postgres was down) heals within a minute. Agents with a job in flight are left alone; the rest get
 * `agent.reconcile` under their usual key.
 */
export async function reconcileAgents(deps: ReconcileDeps): Promise<ReconcileResult> {
  const result: ReconcileResult = { drifted: 0, enqueued: [] };
  let afterId = '';
  for (;;) {
    const page = await findDriftedAgents(deps.db, afterId);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    result.drifted += page.length;
    const idle = await enqueueIdle(deps, page, (agent) => reconcileAgent(agent.id));
    result.enqueued.push(...idle.map((agent) => agent.id));
    if (page.length < pageSize) break;
  }
  return result;
}

/**
 * Mail whose `mail.send` enqueue was lost: the row committed with its change, the job never arrived.
 * Each such row older than the grace period, with no `mail.send` in flight, gets its job again (same
 * key, so a job that is already there is not doubled; the mailer never sends a sent row twice). Returns
 * the outbox ids it enqueued.
 */
export async function reconcileOutbox(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<string[]> {
  const now = options.now ?? new Date();
  const window = {
    from: new Date(now.getTime() - mailHealWindowMs),
    to: new Date(now.getTime() - lostEnqueueGraceMs),
  };
  const enqueued: string[] = [];
  let cursor: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const page = await findUnsentMail(deps.db, window, cursor);
    if (page.length === 0) break;
    cursor = page.at(-1)!;
    const idle = await enqueueIdle(deps, page, (row) => sendMail(row.id));
    enqueued.push(...idle.map((row) => row.id));
    if (page.length < pageSize) break;
  }
  return enqueued;
}

/**
 * Restarts whose `agent.restart` enqueue was lost: requested longer ago than the grace period, not yet
 * taken up by a restart job, and no job of the agent in flight. Returns the agent ids it enqueued.
 */
export function reconcileRestarts(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<string[]> {
  return reconcilePendingRequests(deps, 'restart', options);
}

/**
 * Provisions for changed environment variables whose `agent.provision` enqueue was lost, as for
 * restarts. Returns the agent ids it enqueued.
 */
export function reconcileEnvChanges(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<string[]> {
  return reconcilePendingRequests(deps, 'env', options);
}

async function reconcilePendingRequests(
  deps: ReconcileDeps,
  kind: PendingRequest,
  options: ReconcileOptions,
): Promise<string[]> {
  const before = new Date((options.now ?? new Date()).getTime() - lostEnqueueGraceMs);
  const enqueued: string[] = [];
  let afterId = '';
  for (;;) {
    const page = await findPendingRequests(deps.db, kind, before, afterId);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const idle = await enqueueIdle(deps, page, (agent) => pendingRequests[kind].job(agent.id));
    enqueued.push(...idle.map((agent) => agent.id));
    if (page.length < pageSize) break;
  }
  return enqueued;
}

/**
 * Rollouts whose wake-up was lost (a `rollout.advance` enqueue that failed after its agent's run ended):
 * each that still moves agents and has no advance in flight gets one. Returns the rollout ids.
 */
export async function reconcileRollouts(deps: ReconcileDeps): Promise<string[]> {
  const moving = await findMovingRollouts(deps.db);
  return enqueueIdle(deps, moving, (id) => advanceRollout(id));
}

/**
 * Moves whose `agent.move` enqueue was lost: an intent on the row (`move_to_host_id`, or a source still
 * to clean up in `moved_from_host_id`) older than the grace period, with no job of the agent in flight.
 * A move that failed for good cleared its intent, so it is not sent again. Returns the agent ids.
 */
export async function reconcileMoves(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<string[]> {
  const before = new Date((options.now ?? new Date()).getTime() - lostEnqueueGraceMs);
  const enqueued: string[] = [];
  let afterId = '';
  for (;;) {
    const page = await deps.db
      .select({ id: agents.id })
      .from(agents)
      .where(
        and(
          gt(agents.id, afterId),
          or(isNotNull(agents.moveToHostId), isNotNull(agents.movedFromHostId)),
          lte(agents.updatedAt, before),
          ne(agents.desiredState, 'absent'),
        ),
      )
      .orderBy(asc(agents.id))
      .limit(pageSize);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const idle = await enqueueIdle(deps, page, (agent) => moveAgent(agent.id));
    enqueued.push(...idle.map((agent) => agent.id));
    if (page.length < pageSize) break;
  }
  return enqueued;
}

/**
 * Evacuations still running with no round in flight: a lost enqueue, or a move that ended while its
 * notice was lost. A round is safe at any time, so each gets one. Returns the evacuation ids.
 */
export async function reconcileEvacuations(deps: ReconcileDeps): Promise<string[]> {
  const running = await deps.db
    .select({ id: hostEvacuations.id })
    .from(hostEvacuations)
    .where(eq(hostEvacuations.status, 'running'));
  const idle = await enqueueIdle(deps, running, (evacuation) => continueEvacuation(evacuation.id));
  return idle.map((evacuation) => evacuation.id);
}

export interface ReconcileAllResult {
  agents: ReconcileResult;
  /** Rollouts that were advanced again. */
  rollouts: string[];
  /** Outbox ids whose `mail.send` was enqueued again. */
  mail: string[];
  /** Agent ids whose restart was enqueued again. */
  restarts: string[];
  /** Agent ids provisioned again for environment variables whose provision was never queued. */
  envChanges: string[];
  /** Agent ids whose move was enqueued again. */
  moves: string[];
  /** Evacuations given another round. */
  evacuations: string[];
}

/**
 * Everything `reconcile.all` heals each minute (docs/ARCHITECTURE.md, "Commit, then enqueue"): drifted
 * agents, mail left queued, restarts and environment changes asked for but never queued, rollouts that
 * wait for a lost wake-up. Restarts and environment changes go after the agents: they wait for an agent
 * that runs, and one that drifted does not, so they never race for one key.
 */
export async function reconcileAll(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileAllResult> {
  const agentsResult = await reconcileAgents(deps);
  const mail = await reconcileOutbox(deps, options);
  const restarts = await reconcileRestarts(deps, options);
  const envChanges = await reconcileEnvChanges(deps, options);
  const rolloutIds = await reconcileRollouts(deps);
  const moves = await reconcileMoves(deps, options);
  const evacuations = await reconcileEvacuations(deps);
  return { agents: agentsResult, mail, restarts, envChanges, rollouts: rolloutIds, moves, evacuations };
}
