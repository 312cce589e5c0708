import {
  agents,
  type Db,
  type DbOrTx,
  hosts,
  type Plan,
  plans,
  timeOrderedId,
  users,
} from '@pocket-smyth/db';
import { type JobRequest, provisionAgent } from '@pocket-smyth/jobs/contract';
import { and, asc, count, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { checkAgentQuotas } from './agent-quota';
import { recordAudit } from './audit';
import { AppError, badRequest, conflict, notFound } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import type { BulkResult } from './people-lifecycle';
import { type ChangeDeps, requesterOf } from './ports';

/**
 * Plans (docs/ARCHITECTURE.md, "Plans and quotas"): what each person may use. This module is the admin's
 * side: list, create, edit (archive and default included) and assign, each audited with before and
 * after, and what a change means for the agents of the people concerned: new limits or image provision
 * them again, a public URL the plan no longer allows is turned off in the same transaction.
 */

export interface PlanFields {
  name: string;
  description: string;
  cpus: number | null;
  memoryMb: number | null;
  publicUrlAllowed: boolean;
  apiRequestsPerMinute: number | null;
  monthlyAgentHours: number | null;
  monthlyApiCalls: number | null;
  maxApiTokens: number | null;
  agentImage: string | null;
}

export type PlanPatch = Partial<PlanFields> & { isDefault?: true; archived?: boolean };

export interface PlanSummary extends Plan {
  /** People on the plan, whatever their status. */
  people: number;
}

/** The fields an audit event records of a plan. */
function planSnapshot(plan: Plan): Record<string, unknown> {
  return {
    name: plan.name,
    description: plan.description,
    cpus: plan.cpus,
    memoryMb: plan.memoryMb,
    publicUrlAllowed: plan.publicUrlAllowed,
    apiRequestsPerMinute: plan.apiRequestsPerMinute,
    monthlyAgentHours: plan.monthlyAgentHours,
    monthlyApiCalls: plan.monthlyApiCalls,
    maxApiTokens: plan.maxApiTokens,
    agentImage: plan.agentImage,
    isDefault: plan.isDefault,
    archived: plan.archivedAt !== null,
  };
}

/** Only what changed, so the activity log says what the edit was. */
function changedFields(before: Plan, after: Plan) {
  const a = planSnapshot(before);
  const b = planSnapshot(after);
  const keys = Object.keys(b).filter((k) => a[k] !== b[k]);
  return {
    before: Object.fromEntries(keys.map((k) => [k, a[k]])),
    after: Object.fromEntries(keys.map((k) => [k, b[k]])),
  };
}

async function peopleOnPlans(db: DbOrTx, planIds?: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ planId: users.planId, people: count() })
    .from(users)
    .where(planIds ? inArray(users.planId, [...planIds]) : undefined)
    .groupBy(users.planId);
  return new Map(rows.flatMap((r) => (r.planId ? [[r.planId, r.people] as const] : [])));
}

/** Every plan, the default first, then by name; archived ones only when asked for. */
export async function listPlans(
  db: DbOrTx,
  opts: { includeArchived?: boolean } = {},
): Promise<PlanSummary[]> {
  const rows = await db
    .select()
    .from(plans)
    .where(opts.includeArchived ? undefined : isNull(plans.archivedAt))
    .orderBy(asc(plans.archivedAt), asc(plans.name));
  const people = await peopleOnPlans(db);
  return rows
    .map((p) => ({ ...p, people: people.get(p.id) ?? 0 }))
    .sort((x, y) => Number(y.isDefault) - Number(x.isDefault));
}

export async function getPlan(db: DbOrTx, planId: string): Promise<PlanSummary> {
  const [row] = await db.select().from(plans).where(eq(plans.id, planId)).limit(1);
  if (!row) throw notFound('Plan');
  const people = await peopleOnPlans(db, [planId]);
  return { ...row, people: people.get(planId) ?? 0 };
}

/** The plan a person is on (every person has one; the default if the column was somehow left empty). */
export async function planOfPerson(db: DbOrTx, personId: string): Promise<Plan> {
  const [row] = await db
    .select({ plan: plans })
    .from(users)
    .innerJoin(plans, eq(plans.id, users.planId))
    .where(eq(users.id, personId))
    .limit(1);
  if (row) return row.plan;
  const [person] = await db.select({ id: users.id }).from(users).where(eq(users.id, personId)).limit(1);
  if (!person) throw notFound('Person');
  const [fallback] = await db.select().from(plans).where(eq(plans.isDefault, true)).limit(1);
  if (!fallback) throw new AppError('INTERNAL_SERVER_ERROR', 'No default plan');
  return fallback;
}

/**
 * CPU and memory per agent must fit the largest active host the portal has heard from (its last poll's
 * CPU count and memory), else no agent on the plan could ever be placed. Before any host has reported,
 * there is nothing to check against and the figures are taken as given.
 */
async function checkFitsLargestHost(
  db: DbOrTx,
  fields: Pick<PlanFields, 'cpus' | 'memoryMb'>,
): Promise<void> {
  if (fields.cpus === null && fields.memoryMb === null) return;
  const rows = await db
    .select({ name: hosts.name, stats: hosts.lastStats })
    .from(hosts)
    .where(eq(hosts.status, 'active'));
  const known = rows.flatMap((r) => (r.stats ? [{ name: r.name, stats: r.stats }] : []));
  const withCpus = known.filter((h) => typeof h.stats.cpuCount === 'number');
  if (fields.cpus !== null && withCpus.length > 0) {
    const largest = withCpus.reduce((a, b) => ((b.stats.cpuCount ?? 0) > (a.stats.cpuCount ?? 0) ? b : a));
    const cpuCount = largest.stats.cpuCount ?? 0;
    if (fields.cpus > cpuCount) {
      throw badRequest(
        `${fields.cpus} CPUs per agent is more than the largest active host, ${largest.name}, has (${cpuCount} CPUs).`,
        { field: 'cpus', host: largest.name, hostCpus: cpuCount },
      );
    }
  }
  if (fields.memoryMb !== null && known.length > 0) {
    const largest = known.reduce((a, b) => (b.stats.memoryTotalBytes > a.stats.memoryTotalBytes ? b : a));
    const hostMemoryMb = Math.floor(largest.stats.memoryTotalBytes / (1024 * 1024));
    if (fields.memoryMb > hostMemoryMb) {
      throw badRequest(
        `${fields.memoryMb} MB per agent is more than the largest active host, ${largest.name}, has (${hostMemoryMb} MB).`,
        { field: 'memoryMb', host: largest.name, hostMemoryMb },
      );
    }
  }
}

/** The same comparison as the `plans_name_unique` index (SQLite's `lower`), so the 409 comes first. */
async function refuseTakenName(db: DbOrTx, name: string, exceptId?: string): Promise<void> {
  const [taken] = await db
    .select({ name: plans.name })
    .from(plans)
    .where(and(sql`lower(${plans.name}) = lower(${name})`, exceptId ? ne(plans.id, exceptId) : undefined))
    .limit(1);
  if (taken) throw conflict(`A plan named “${taken.name}” already exists.`, { field: 'name' });
}

export async function createPlan(
  db: Db,
  deps: ChangeDeps,
  input: PlanFields & { isDefault?: boolean },
): Promise<PlanSummary> {
  const id = timeOrderedId();
  await db.transaction(async (tx) => {
    await refuseTakenName(tx, input.name);
    await checkFitsLargestHost(tx, input);
    const { isDefault, ...fields } = input;
    if (isDefault) await tx.update(plans).set({ isDefault: false }).where(eq(plans.isDefault, true));
    const [created] = await tx
      .insert(plans)
      .values({ id, ...fields, isDefault: isDefault ?? false })
      .returning();
    if (!created) throw new AppError('INTERNAL_SERVER_ERROR', 'Plan not created');
    await recordAudit(tx, deps, {
      action: 'plan.created',
      target: { kind: 'plan', id, label: created.name },
      after: planSnapshot(created),
    });
  });
  return getPlan(db, id);
}

/** What moving an agent from one set of limits to another asks of it. */
interface AgentEffects {
  reprovision: boolean;
  publicUrlOff: boolean;
}

function effectsOf(from: Plan, to: Plan): AgentEffects {
  return {
    reprovision: from.cpus !== to.cpus || from.memoryMb !== to.memoryMb || from.agentImage !== to.agentImage,
    publicUrlOff: from.publicUrlAllowed && !to.publicUrlAllowed,
  };
}

/**
 * Applies a plan change to the agents of `personIds` inside `tx`. An agent meant to run is provisioned
 * again with the new limits (marked with `env_changed_at`, so the reconciler re-sends the provision if
 * its enqueue is lost; the provision step clears it) — once, through the normal run with steps, its
 * volume kept. A public URL the new plan forbids is turned off here, audited, so forward-auth answers
 * 401 from the commit on.
 */
async function applyToAgents(
  tx: DbOrTx,
  deps: ChangeDeps,
  personIds: readonly string[],
  effects: AgentEffects,
  plan: Plan,
  jobs: JobRequest[],
): Promise<void> {
  if (!effects.reprovision && !effects.publicUrlOff) return;
  const now = new Date();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await tx
      .select({
        id: agents.id,
        username: agents.username,
        desiredState: agents.desiredState,
        publicUrlEnabled: agents.publicUrlEnabled,
      })
      .from(agents)
      .where(inArray(agents.userId, personIds.slice(i, i + 500)));
    for (const agent of rows) {
      if (effects.publicUrlOff && agent.publicUrlEnabled) {
        await tx
          .update(agents)
          .set({ publicUrlEnabled: false, updatedAt: now })
          .where(eq(agents.id, agent.id));
        await recordAudit(tx, deps, {
          action: 'agent.public_disabled',
          target: { kind: 'agent', id: agent.id, label: agent.username },
          before: { publicUrlEnabled: true },
          after: { publicUrlEnabled: false, reason: `The plan “${plan.name}” does not allow a public URL.` },
        });
      }
      if (effects.reprovision && agent.desiredState === 'running') {
        await tx.update(agents).set({ envChangedAt: now }).where(eq(agents.id, agent.id));
        jobs.push(provisionAgent(agent.id, { newRun: true, requestedBy: requesterOf(deps) }));
      }
    }
  }
}

/**
 * Edits a plan. `archived: true` archives it (refused for the default plan, and for a plan anyone is
 * on: 409 naming how many); `isDefault: true` makes it the default for new people. The people on it get
 * the effects of the new figures at once (see `applyToAgents`).
 */
export async function updatePlan(
  db: Db,
  deps: ChangeDeps,
  planId: string,
  patch: PlanPatch,
): Promise<PlanSummary> {
  const jobs: JobRequest[] = [];
  let quotaChanged = false;
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(plans).where(eq(plans.id, planId)).limit(1);
    if (!before) throw notFound('Plan');
    const { archived, isDefault, ...fields } = patch;
    if (fields.name !== undefined) await refuseTakenName(tx, fields.name, planId);
    const merged = { ...before, ...fields };
    if (fields.cpus !== undefined || fields.memoryMb !== undefined) await checkFitsLargestHost(tx, merged);

    let archivedAt = before.archivedAt;
    if (archived === true && before.archivedAt === null) {
      if (before.isDefault)
        throw conflict('The default plan cannot be archived; make another plan the default first.');
      const people = (await peopleOnPlans(tx, [planId])).get(planId) ?? 0;
      if (people > 0) {
        throw conflict(
          `${people} ${people === 1 ? 'person is' : 'people are'} on “${before.name}”; move them to another plan before archiving it.`,
          { people },
        );
      }
      archivedAt = new Date();
    } else if (archived === false) {
      archivedAt = null;
    }
    if (isDefault && archivedAt !== null) throw conflict('An archived plan cannot be the default.');
    if (isDefault && !before.isDefault) {
      await tx.update(plans).set({ isDefault: false }).where(eq(plans.isDefault, true));
    }
    const [after] = await tx
      .update(plans)
      .set({
        ...fields,
        archivedAt,
        isDefault: before.isDefault || isDefault === true,
        updatedAt: new Date(),
      })
      .where(eq(plans.id, planId))
      .returning();
    if (!after) throw notFound('Plan');
    const diff = changedFields(before, after);
    if (Object.keys(diff.after).length === 0) return;
    await recordAudit(tx, deps, {
      action: 'plan.updated',
      target: { kind: 'plan', id: planId, label: after.name },
      ...diff,
    });
    quotaChanged = before.monthlyAgentHours !== after.monthlyAgentHours;
    const effects = effectsOf(before, after);
    if (effects.reprovision || effects.publicUrlOff) {
      const people = await tx.select({ id: users.id }).from(users).where(eq(users.planId, planId));
      await applyToAgents(
        tx,
        deps,
        people.map((p) => p.id),
        effects,
        after,
        jobs,
      );
    }
  });
  await enqueueAfterCommit(deps, jobs);
  if (quotaChanged) await applyQuotaNow(db, deps);
  return getPlan(db, planId);
}

/**
 * A new agent-hours figure takes effect at once rather than at the next minute's `quota.check`: a raised
 * quota starts the agents it stopped, a lowered one stops those now over it. The change is committed
 * already, so a failure here is left to that next check instead of failing the admin's request.
 */
async function applyQuotaNow(db: Db, deps: ChangeDeps): Promise<void> {
  await checkAgentQuotas(db, deps).catch(() => undefined);
}

/** How many people one assignment transaction moves: the write lock is held briefly. */
const PEOPLE_PER_TRANSACTION = 200;

/**
 * Puts people on a plan (one or many; each id gets its own result, like approve). The plan must exist
 * and not be archived, else the whole request is refused. Each move is audited as `person.plan_changed`
 * with the old and new plan, and its agent gets the effects of the new figures.
 */
export async function assignPlan(
  db: Db,
  deps: ChangeDeps,
  personIds: readonly string[],
  planId: string,
): Promise<BulkResult[]> {
  const [plan] = await db.select().from(plans).where(eq(plans.id, planId)).limit(1);
  if (!plan) throw notFound('Plan');
  if (plan.archivedAt) throw conflict(`The plan “${plan.name}” is archived; people cannot be put on it.`);
  const unique = [...new Set(personIds)];
  const results: BulkResult[] = [];
  let quotaMoved = false;
  for (let i = 0; i < unique.length; i += PEOPLE_PER_TRANSACTION) {
    const group = unique.slice(i, i + PEOPLE_PER_TRANSACTION);
    const jobs: JobRequest[] = [];
    const groupResults = await db.transaction(async (tx) => {
      const people = await tx
        .select({ person: users, plan: plans })
        .from(users)
        .leftJoin(plans, eq(plans.id, users.planId))
        .where(inArray(users.id, group));
      const byId = new Map(people.map((p) => [p.person.id, p]));
      const out: BulkResult[] = [];
      for (const id of group) {
        const found = byId.get(id);
        if (!found) {
          out.push({ id, ok: false, code: 'NOT_FOUND', message: 'Person not found' });
          continue;
        }
        const { person, plan: from } = found;
        out.push({ id, ok: true, status: person.status });
        if (person.planId === planId) continue;
        await tx.update(users).set({ planId, updatedAt: new Date() }).where(eq(users.id, id));
        await recordAudit(tx, deps, {
          action: 'person.plan_changed',
          target: { kind: 'person', id, label: person.username ?? person.email },
          before: { planId: person.planId, plan: from?.name ?? null },
          after: { planId, plan: plan.name },
        });
        if (from) await applyToAgents(tx, deps, [id], effectsOf(from, plan), plan, jobs);
        if (from?.monthlyAgentHours !== plan.monthlyAgentHours) quotaMoved = true;
      }
      return out;
    });
    await enqueueAfterCommit(deps, jobs);
    results.push(...groupResults);
  }
  if (quotaMoved) await applyQuotaNow(db, deps);
  return results;
}

/** Whether the person's plan lets their agent have a public URL (turning it on otherwise is a 409). */
export async function refusePublicUrlIfForbidden(db: DbOrTx, personId: string): Promise<void> {
  const plan = await planOfPerson(db, personId);
  if (!plan.publicUrlAllowed) {
    throw conflict(`Your plan, “${plan.name}”, does not allow a public URL. Ask an admin for another plan.`, {
      plan: plan.name,
    });
  }
}
