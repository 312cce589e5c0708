import { agents, type DbOrTx, plans, users } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import type { AgentLimits } from '../deps';

/** What the owner's plan says about their agent; null fields leave it to the worker (or the portal). */
export interface AgentPlan {
  name: string;
  cpus: number | null;
  memoryMb: number | null;
  agentImage: string | null;
}

/**
 * The plan of the agent's owner (agents.user_id → users.plan_id → plans); null when there is none (the
 * person is gone, their row names no plan).
 */
export async function agentPlanOf(db: DbOrTx, agentId: string): Promise<AgentPlan | null> {
  const [row] = await db
    .select({ name: plans.name, cpus: plans.cpus, memoryMb: plans.memoryMb, agentImage: plans.agentImage })
    .from(agents)
    .innerJoin(users, eq(users.id, agents.userId))
    .innerJoin(plans, eq(plans.id, users.planId))
    .where(eq(agents.id, agentId))
    .limit(1);
  return row ?? null;
}

/** The limits an agent runs with, and where each came from, as a provision step records them. */
export interface AppliedLimits extends AgentLimits {
  why: string;
}

/**
 * The plan's CPUs and memory over the worker's AGENT_CPUS / AGENT_MEMORY_MB (docs/ARCHITECTURE.md,
 * "Plans and quotas"). The CPUs are cut to the two decimals the provision script accepts.
 */
export function limitsFor(plan: AgentPlan | null, defaults: AgentLimits): AppliedLimits {
  const cpus = plan?.cpus ?? defaults.cpus;
  const memoryMb = plan?.memoryMb ?? defaults.memoryMb;
  const source = (fromPlan: boolean, setting: string) =>
    fromPlan ? `the plan ${JSON.stringify(plan?.name)}` : `the worker's ${setting}`;
  return {
    cpus: Math.round(cpus * 100) / 100,
    memoryMb,
    why: `${source(plan?.cpus != null, 'AGENT_CPUS')} for the CPUs, ${source(plan?.memoryMb != null, 'AGENT_MEMORY_MB')} for the memory`,
  };
}
