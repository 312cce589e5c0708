import { type DbOrTx, plans } from '@pocket-smyth/db';

/**
 * A plan's API figures (docs/ARCHITECTURE.md, "Plans and quotas"). Null: the deployment's
 * RATE_LIMIT_PER_MINUTE, and no monthly limit.
 */
export interface PlanApiLimits {
  requestsPerMinute: number | null;
  monthlyApiCalls: number | null;
}

const noPlan: PlanApiLimits = { requestsPerMinute: null, monthlyApiCalls: null };

/**
 * Every plan's API figures, by plan id, read in one query (plans are few: an admin makes them). A
 * person without a plan (the column allows it; the trigger of migration 0011 gives everyone one) gets
 * the default plan's.
 */
async function readAllPlanApiLimits(db: DbOrTx): Promise<PlanTable> {
  const rows = await db
    .select({
      id: plans.id,
      isDefault: plans.isDefault,
      requestsPerMinute: plans.apiRequestsPerMinute,
      monthlyApiCalls: plans.monthlyApiCalls,
    })
    .from(plans);
  const byId = new Map<string, PlanApiLimits>();
  let fallback = noPlan;
  for (const { id, isDefault, ...figures } of rows) {
    byId.set(id, figures);
    if (isDefault) fallback = figures;
  }
  return { byId, fallback };
}

interface PlanTable {
  byId: Map<string, PlanApiLimits>;
  fallback: PlanApiLimits;
}

function pick(table: PlanTable, planId: string | null): PlanApiLimits {
  return (planId !== null ? table.byId.get(planId) : undefined) ?? table.fallback;
}

/** One plan's figures, read now: for callers without a cache (tests, tools). */
export async function readPlanApiLimits(db: DbOrTx, planId: string | null): Promise<PlanApiLimits> {
  return pick(await readAllPlanApiLimits(db), planId);
}

export interface PlanApiLimitCache {
  /** The figures of `planId`, at most `ttlMs` old. */
  get(planId: string | null, now?: number): PlanApiLimits | Promise<PlanApiLimits>;
}

/**
 * The plans' API figures in memory, so a call reads no plan: the person's `plan_id` comes with the
 * person the token or session already resolved (read fresh, so moving a person to another plan counts
 * from their next call), and the figures of every plan are read again in one query when the copy is
 * older than `ttlMs` (default 5 s; the one call that finds it stale waits for that read). So an edit of
 * a plan's figures takes effect on every instance within `ttlMs`.
 */
export function createPlanApiLimitCache(db: DbOrTx, options: { ttlMs?: number } = {}): PlanApiLimitCache {
  const ttlMs = options.ttlMs ?? 5_000;
  let table: PlanTable | null = null;
  let readAt = 0;
  let reading: Promise<PlanTable> | null = null;

  function refresh(now: number): Promise<PlanTable> {
    reading ??= readAllPlanApiLimits(db)
      .then((read) => {
        table = read;
        readAt = now;
        return read;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  }

  return {
    get(planId, now = Date.now()) {
      if (table && now - readAt < ttlMs) return pick(table, planId);
      return refresh(now).then((read) => pick(read, planId));
    },
  };
}
