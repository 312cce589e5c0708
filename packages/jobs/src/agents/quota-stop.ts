import { agentQuotaPeriods, type DbOrTx } from '@pocket-smyth/db';
import { and, desc, eq } from 'drizzle-orm';
import type { AgentChange } from './agent-change';
import { stopChange } from './stop';

export const QUOTA_EXHAUSTED_STEP = 'quota exhausted';

/**
 * The month the quota stopped this agent in, or null when it did not (docs/ARCHITECTURE.md, "Plans and
 * quotas"): the quota check sets `agent_quota_periods.stopped_agent` with the desired state.
 */
export async function quotaStopPeriod(db: DbOrTx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [row] = await db
    .select({ period: agentQuotaPeriods.period })
    .from(agentQuotaPeriods)
    .where(and(eq(agentQuotaPeriods.userId, userId), eq(agentQuotaPeriods.stoppedAgent, true)))
    .orderBy(desc(agentQuotaPeriods.period))
    .limit(1);
  return row?.period ?? null;
}

/** The day after the month `YYYY-MM`, when its quota resets. */
function resetDay(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

/**
 * A stop the monthly quota asked for: a first step says so (`quota_exhausted`) in the person's timeline,
 * then the stop's own steps.
 */
export function quotaStopChange(period: string): AgentChange {
  return {
    ...stopChange,
    steps: [QUOTA_EXHAUSTED_STEP, ...stopChange.steps],
    async perform(run, agent, context) {
      // A stop run already under way (continued after a retry) has no such step; its stop is the same.
      if (run.stepRows.some((s) => s.name === QUOTA_EXHAUSTED_STEP)) {
        await run.step(QUOTA_EXHAUSTED_STEP, async (step) => {
          step.output(
            `quota_exhausted: the monthly agent-hours for ${period} are used up; the agent starts again on ${resetDay(period)} (UTC), or when an admin raises the plan or grants a top-up\n`,
          );
        });
      }
      await stopChange.perform(run, agent, context);
    },
  };
}
