import { type Db, plans, users } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { agentQuotaFor, QUOTA_WARNING_SHARE } from './agent-quota';
import { type UsagePeriod, usageForPerson, usagePeriodBounds } from './usage-queries';

/** One monthly limit against its use (docs/ARCHITECTURE.md, "Plans and quotas"). */
export interface QuotaGauge {
  used: number;
  /** Null: unlimited. */
  limit: number | null;
  /** Of the limit, 0–100+; null when unlimited. */
  percent: number | null;
  warning: boolean;
  exhausted: boolean;
}

export interface UsageWithQuota extends UsagePeriod {
  /** This month's quotas; null for a past month. */
  quota: {
    agentHours: QuotaGauge & { planHours: number | null; topUpHours: number };
    apiCalls: QuotaGauge;
  } | null;
}

/**
 * The Usage card's figures: the month's usage from the rollups and, for the current month, the quotas —
 * agent-hours exact to now (the same figure that stops the agent), API calls as of the last rollup.
 */
export async function usageWithQuota(
  db: Db,
  personId: string,
  period?: string,
  now: Date = new Date(),
): Promise<UsageWithQuota> {
  const usage = await usageForPerson(db, personId, period, now);
  if (usage.period !== usagePeriodBounds(undefined, now).period) return { ...usage, quota: null };
  const [agentHours, [plan]] = await Promise.all([
    agentQuotaFor(db, personId, now),
    db
      .select({ calls: plans.monthlyApiCalls })
      .from(users)
      .leftJoin(plans, eq(plans.id, users.planId))
      .where(eq(users.id, personId)),
  ]);
  const callLimit = plan?.calls ?? null;
  const calls = usage.totals.apiCalls;
  return {
    ...usage,
    quota: {
      agentHours: {
        used: agentHours.usedHours,
        limit: agentHours.limitHours,
        percent: agentHours.percent,
        warning: agentHours.warning,
        exhausted: agentHours.exhausted,
        planHours: agentHours.planHours,
        topUpHours: agentHours.topUpHours,
      },
      apiCalls: {
        used: calls,
        limit: callLimit,
        percent:
          callLimit === null ? null : callLimit > 0 ? Math.round((calls / callLimit) * 1000) / 10 : 100,
        warning: callLimit !== null && calls >= callLimit * QUOTA_WARNING_SHARE,
        exhausted: callLimit !== null && calls >= callLimit,
      },
    },
  };
}
