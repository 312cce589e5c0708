import {
  agentQuotaPeriods,
  agentQuotaTopUps,
  agentRunningIntervals,
  agents,
  type Db,
  type DbOrTx,
  parsePreferences,
  plans,
  usageDaily,
  users,
} from '@pocket-smyth/db';
import type { Mail } from '@pocket-smyth/email';
import { type JobRequest, reconcileAgent } from '@pocket-smyth/jobs/contract';
import { and, eq, gt, gte, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import { conflict } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import { queueMail } from './notifications';
import { type ChangeDeps, requesterOf, systemActor } from './ports';
import { usagePeriodBounds } from './usage-queries';

/**
 * The monthly agent-hours quota (docs/ARCHITECTURE.md, "Plans and quotas"): the plan's
 * `monthly_agent_hours` (null: unlimited) plus the admins' top-ups for the month, against the time the
 * person's agent ran in the calendar month (UTC). At 80% the person and the admins are mailed once; at
 * 100% the agent is stopped by a run that says `quota_exhausted`, and start and restart are refused until
 * the next month, a larger plan or a top-up starts it again by itself.
 */
export interface AgentQuota {
  /** `YYYY-MM`, the calendar month in UTC. */
  period: string;
  start: Date;
  /** The next month's start: when the quota resets. */
  resetsAt: Date;
  /** The plan's hours; null: unlimited. */
  planHours: number | null;
  topUpHours: number;
  /** Plan plus top-ups; null: unlimited. */
  limitHours: number | null;
  usedHours: number;
  /** Of the limit, 0–100+; null when unlimited. */
  percent: number | null;
  /** At 80% or more. */
  warning: boolean;
  exhausted: boolean;
}

/** The share of the limit at which the person and the admins are warned. */
export const QUOTA_WARNING_SHARE = 0.8;

const DAY_MS = 86_400_000;
/**
 * Closed running stretches are pruned 15 days after they end (usage-metering.ts), and the days older than
 * 14 are never rolled up again; so a month's first days come from `usage_daily`, the last 14 from the
 * stretches themselves, exact up to now (the rollups lag by up to five minutes, which a stop must not).
 */
const EXACT_WINDOW_MS = 14 * DAY_MS;

/** Agent-seconds used from `start` up to `now`, per person (all people when `userIds` is null). */
async function agentSecondsUsed(
  db: DbOrTx,
  userIds: readonly string[] | null,
  start: Date,
  now: Date,
): Promise<Map<string, number>> {
  const nowMs = now.getTime();
  const cutoff = Math.max(start.getTime(), Math.floor((nowMs - EXACT_WINDOW_MS) / DAY_MS) * DAY_MS);
  const used = new Map<string, number>();
  if (userIds !== null && userIds.length === 0) return used;
  const add = (userId: string | null, seconds: number) => {
    if (userId) used.set(userId, (used.get(userId) ?? 0) + seconds);
  };
  if (cutoff > start.getTime()) {
    const days = await db
      .select({ userId: usageDaily.userId, seconds: sql<number>`sum(${usageDaily.agentSeconds})` })
      .from(usageDaily)
      .where(
        and(
          gte(usageDaily.day, start),
          lt(usageDaily.day, new Date(cutoff)),
          userIds ? inArray(usageDaily.userId, [...userIds]) : undefined,
        ),
      )
      .groupBy(usageDaily.userId);
    for (const row of days) add(row.userId, row.seconds);
  }
  const i = agentRunningIntervals;
  const stretches = await db
    .select({
      userId: i.userId,
      ms: sql<number>`sum(max(0, min(coalesce(${i.endedAt}, ${nowMs}), ${nowMs}) - max(${i.startedAt}, ${cutoff})))`,
    })
    .from(i)
    .where(
      and(
        lt(i.startedAt, now),
        or(isNull(i.endedAt), gt(i.endedAt, new Date(cutoff))),
        userIds ? inArray(i.userId, [...userIds]) : isNotNull(i.userId),
      ),
    )
    .groupBy(i.userId);
  for (const row of stretches) add(row.userId, row.ms / 1000);
  return used;
}

interface QuotaLimit {
  userId: string;
  planHours: number | null;
  topUpHours: number;
}

function quotaOf(limit: QuotaLimit, usedSeconds: number, bounds: ReturnType<typeof usagePeriodBounds>) {
  const limitHours = limit.planHours === null ? null : limit.planHours + limit.topUpHours;
  const usedHours = usedSeconds / 3600;
  // A zero-hour plan is used up from the start.
  const percent = limitHours === null ? null : limitHours > 0 ? (usedHours / limitHours) * 100 : 100;
  return {
    ...bounds,
    planHours: limit.planHours,
    topUpHours: limit.topUpHours,
    limitHours,
    usedHours: Math.round(usedHours * 10_000) / 10_000,
    percent: percent === null ? null : Math.round(percent * 10) / 10,
    warning: limitHours !== null && usedHours >= limitHours * QUOTA_WARNING_SHARE,
    exhausted: limitHours !== null && usedHours >= limitHours,
  } satisfies AgentQuota;
}

async function topUpHoursOf(db: DbOrTx, userIds: readonly string[] | null, period: string) {
  const rows = await db
    .select({ userId: agentQuotaTopUps.userId, hours: sql<number>`sum(${agentQuotaTopUps.agentHours})` })
    .from(agentQuotaTopUps)
    .where(
      and(
        eq(agentQuotaTopUps.period, period),
        userIds ? inArray(agentQuotaTopUps.userId, [...userIds]) : undefined,
      ),
    )
    .groupBy(agentQuotaTopUps.userId);
  return new Map(rows.map((r) => [r.userId, r.hours]));
}

/** The person's quota this month (`now`'s). */
export async function agentQuotaFor(
  db: DbOrTx,
  personId: string,
  now: Date = new Date(),
): Promise<AgentQuota> {
  const bounds = usagePeriodBounds(undefined, now);
  const [plan] = await db
    .select({ hours: plans.monthlyAgentHours })
    .from(users)
    .leftJoin(plans, eq(plans.id, users.planId))
    .where(eq(users.id, personId));
  const planHours = plan?.hours ?? null;
  if (planHours === null) {
    return quotaOf({ userId: personId, planHours: null, topUpHours: 0 }, 0, bounds);
  }
  const [topUps, used] = await Promise.all([
    topUpHoursOf(db, [personId], bounds.period),
    agentSecondsUsed(db, [personId], bounds.start, now),
  ]);
  return quotaOf(
    { userId: personId, planHours, topUpHours: topUps.get(personId) ?? 0 },
    used.get(personId) ?? 0,
    bounds,
  );
}

/** The 409 a start or restart gets while the owner's quota is used up: it names when it resets. */
export async function assertAgentQuotaLeft(tx: DbOrTx, personId: string, whose: string): Promise<void> {
  const quota = await agentQuotaFor(tx, personId);
  if (!quota.exhausted) return;
  const day = quota.resetsAt.toISOString().slice(0, 10);
  throw conflict(
    `${whose} has used its ${quota.limitHours} agent-hours for ${quota.period}; it can start again on ${day} (UTC), or when an admin raises the plan or grants a top-up.`,
    { reason: 'quota_exhausted', resetsAt: quota.resetsAt.toISOString(), limitHours: quota.limitHours },
  );
}

/** What the quota check needs besides `db`: a change's ports, and where each person's dashboard is. */
export interface QuotaCheckDeps extends ChangeDeps {
  /** A person's dashboard, linked from their quota mails; the portal URL when absent. */
  dashboardUrl?: (username: string) => string;
}

export interface QuotaCheckResult {
  checked: number;
  warned: number;
  stopped: number;
  restarted: number;
}

/**
 * Every minute (`agent.quota` cron job), and right after a top-up for that person: for each active person
 * whose plan has a quota, or whose agent the quota stopped, compute this month's quota and act on it once
 * — the 80% mails, the exhaustion mails and stop, the restart once there is room again. Each person is
 * one transaction (period row, agent, audit, outbox), then their jobs are enqueued.
 */
export async function checkAgentQuotas(
  db: Db,
  deps: QuotaCheckDeps,
  now: Date = new Date(),
  onlyPersonId?: string,
): Promise<QuotaCheckResult> {
  const bounds = usagePeriodBounds(undefined, now);
  const stoppedByQuota = db
    .select({ userId: agentQuotaPeriods.userId })
    .from(agentQuotaPeriods)
    .where(eq(agentQuotaPeriods.stoppedAgent, true));
  const candidates = await db
    .select({
      userId: users.id,
      username: users.username,
      email: users.email,
      name: users.name,
      preferences: users.preferences,
      status: users.status,
      planHours: plans.monthlyAgentHours,
    })
    .from(users)
    .leftJoin(plans, eq(plans.id, users.planId))
    .where(
      and(
        onlyPersonId ? eq(users.id, onlyPersonId) : undefined,
        or(
          and(eq(users.status, 'active'), isNotNull(plans.monthlyAgentHours)),
          inArray(users.id, stoppedByQuota),
        ),
      ),
    );
  const result: QuotaCheckResult = { checked: candidates.length, warned: 0, stopped: 0, restarted: 0 };
  if (candidates.length === 0) return result;
  // One person's check reads only their rows; the every-minute run reads everyone's at once.
  const ids = onlyPersonId ? [onlyPersonId] : null;
  const [topUps, used, periods, desired] = await Promise.all([
    topUpHoursOf(db, ids, bounds.period),
    agentSecondsUsed(db, ids, bounds.start, now),
    db
      .select()
      .from(agentQuotaPeriods)
      .where(
        and(
          onlyPersonId ? eq(agentQuotaPeriods.userId, onlyPersonId) : undefined,
          or(eq(agentQuotaPeriods.period, bounds.period), eq(agentQuotaPeriods.stoppedAgent, true)),
        ),
      ),
    db
      .select({ userId: agents.userId, desiredState: agents.desiredState })
      .from(agents)
      .where(onlyPersonId ? eq(agents.userId, onlyPersonId) : isNotNull(agents.userId)),
  ]);
  const thisMonth = new Map(periods.filter((p) => p.period === bounds.period).map((p) => [p.userId, p]));
  const stopped = new Set(periods.filter((p) => p.stoppedAgent).map((p) => p.userId));
  const desiredOf = new Map(desired.map((a) => [a.userId, a.desiredState]));
  for (const person of candidates) {
    const quota = quotaOf(
      { userId: person.userId, planHours: person.planHours, topUpHours: topUps.get(person.userId) ?? 0 },
      used.get(person.userId) ?? 0,
      bounds,
    );
    // Most minutes nothing changes for most people: only those with something to do take the write lock.
    const notice = thisMonth.get(person.userId);
    const due =
      (quota.warning && !notice?.warnedAt) ||
      (quota.exhausted && !notice?.exhaustedAt) ||
      (quota.exhausted && desiredOf.get(person.userId) === 'running') ||
      (!quota.exhausted && stopped.has(person.userId));
    if (!due) continue;
    const outcome = await actOnQuota(db, deps, person, quota, now);
    if (outcome.warned) result.warned++;
    if (outcome.stopped) result.stopped++;
    if (outcome.restarted) result.restarted++;
  }
  return result;
}

interface QuotaPerson {
  userId: string;
  username: string | null;
  email: string;
  name: string | null;
  preferences: unknown;
  status: string;
}

async function actOnQuota(db: Db, deps: QuotaCheckDeps, person: QuotaPerson, quota: AgentQuota, now: Date) {
  const outcome = { warned: false, stopped: false, restarted: false };
  const jobs = await db.transaction(async (tx) => {
    const jobs: JobRequest[] = [];
    const [agent] = await tx.select().from(agents).where(eq(agents.userId, person.userId));
    const active = person.status === 'active';

    if (quota.warning && active) {
      await tx
        .insert(agentQuotaPeriods)
        .values({ userId: person.userId, period: quota.period })
        .onConflictDoNothing();
      const at = quota.period;
      // Guarded updates: the cron job and a top-up's own check never both send the same notice.
      const warned = await tx
        .update(agentQuotaPeriods)
        .set({ warnedAt: now })
        .where(
          and(
            eq(agentQuotaPeriods.userId, person.userId),
            eq(agentQuotaPeriods.period, at),
            isNull(agentQuotaPeriods.warnedAt),
          ),
        )
        .returning({ userId: agentQuotaPeriods.userId });
      const exhaustedNow = quota.exhausted
        ? await tx
            .update(agentQuotaPeriods)
            .set({ exhaustedAt: now })
            .where(
              and(
                eq(agentQuotaPeriods.userId, person.userId),
                eq(agentQuotaPeriods.period, at),
                isNull(agentQuotaPeriods.exhaustedAt),
              ),
            )
            .returning({ userId: agentQuotaPeriods.userId })
        : [];
      // Straight past 80% to 100% between two checks: the exhaustion mail says it all.
      if (exhaustedNow.length > 0) {
        jobs.push(...(await queueQuotaMails(tx, deps, person, quota, 'quota_exhausted')));
        outcome.warned = true;
      } else if (warned.length > 0) {
        jobs.push(...(await queueQuotaMails(tx, deps, person, quota, 'quota_warning')));
        outcome.warned = true;
      }
    }

    if (quota.exhausted && active && agent?.desiredState === 'running') {
      const [stopped] = await tx
        .update(agents)
        .set({ desiredState: 'stopped', desiredAt: now, restartRequestedAt: null, updatedAt: now })
        .where(and(eq(agents.id, agent.id), eq(agents.desiredState, 'running')))
        .returning({ id: agents.id });
      if (stopped) {
        await tx
          .update(agentQuotaPeriods)
          .set({ stoppedAgent: true, restartedAt: null })
          .where(
            and(eq(agentQuotaPeriods.userId, person.userId), eq(agentQuotaPeriods.period, quota.period)),
          );
        await recordAudit(
          tx,
          { ...deps, actor: systemActor },
          {
            action: 'agent.quota_stopped',
            target: { kind: 'agent', id: agent.id, label: agent.username },
            before: { desiredState: 'running', observedState: agent.observedState },
            after: quotaFacts(quota),
          },
        );
        jobs.push(reconcileAgent(agent.id, { requestedBy: requesterOf({ ...deps, actor: systemActor }) }));
        outcome.stopped = true;
      }
    }

    if (!quota.exhausted) {
      const released = await tx
        .update(agentQuotaPeriods)
        .set({ stoppedAgent: false, restartedAt: now })
        .where(and(eq(agentQuotaPeriods.userId, person.userId), eq(agentQuotaPeriods.stoppedAgent, true)))
        .returning({ period: agentQuotaPeriods.period });
      // Only an agent the quota stopped, still stopped, of a person still active: a revocation or the
      // person's own stop since then is theirs to undo.
      if (released.length > 0 && active && agent?.desiredState === 'stopped') {
        await tx
          .update(agents)
          .set({ desiredState: 'running', desiredAt: now, updatedAt: now })
          .where(eq(agents.id, agent.id));
        await recordAudit(
          tx,
          { ...deps, actor: systemActor },
          {
            action: 'agent.quota_restarted',
            target: { kind: 'agent', id: agent.id, label: agent.username },
            before: { desiredState: 'stopped', observedState: agent.observedState },
            after: { desiredState: 'running', ...quotaFacts(quota) },
          },
        );
        jobs.push(reconcileAgent(agent.id, { requestedBy: requesterOf({ ...deps, actor: systemActor }) }));
        outcome.restarted = true;
      }
    }
    return jobs;
  });
  await enqueueAfterCommit(deps, jobs);
  return outcome;
}

function quotaFacts(quota: AgentQuota) {
  return {
    period: quota.period,
    usedHours: Math.round(quota.usedHours * 100) / 100,
    limitHours: quota.limitHours,
    resetsAt: quota.resetsAt.toISOString(),
  };
}

/** The quota mail to the person and one to each other active admin. */
async function queueQuotaMails(
  tx: DbOrTx,
  deps: QuotaCheckDeps,
  person: QuotaPerson,
  quota: AgentQuota,
  kind: 'quota_warning' | 'quota_exhausted',
): Promise<JobRequest[]> {
  if (!deps.mailer) return [];
  const portal = (deps.portalUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  const username = person.username ?? person.email;
  const common = {
    person: { username, email: person.email },
    usedHours: quota.usedHours,
    limitHours: quota.limitHours ?? 0,
    resetsAt: quota.resetsAt.toISOString(),
  };
  const preferences = parsePreferences(person.preferences);
  const mails: Mail[] = [];
  // The person's own mail follows their mail preference, as the approval mail does; the admins' does not.
  if (preferences.emailNotifications !== false) {
    mails.push({
      kind,
      to: person.email,
      data: {
        ...common,
        name: preferences.displayName ?? person.name,
        forAdmin: false,
        url: person.username && deps.dashboardUrl ? deps.dashboardUrl(person.username) : `${portal}/`,
      },
    });
  }
  const admins = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active')));
  for (const admin of admins) {
    if (admin.email === person.email) continue;
    mails.push({
      kind,
      to: admin.email,
      data: { ...common, forAdmin: true, url: `${portal}/admin/people/${person.userId}` },
    });
  }
  const jobs: JobRequest[] = [];
  for (const mail of mails) jobs.push(...(await queueMail(tx, deps, mail)));
  return jobs;
}
