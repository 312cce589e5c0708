import { agents, type DbOrTx, portalSettings, rolloutAgents, rollouts } from '@pocket-smyth/db';
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { AgentPlan } from './agent-plan';

/** What an agent's next provision runs: an image, or the worker's default (AGENT_IMAGE, else the host's). */
export type ImageChoice = { image: string | null; why: string };

/**
 * The image an agent is to run (docs/ARCHITECTURE.md, "Images and rollouts"): the person's override;
 * else the image of the owner's plan (`plan`, read by the caller); else, while a rollout holds it back
 * (not yet reached in its batch order, or being rolled back), the image it ran before that rollout;
 * else the portal's default; else the worker's. A plan's image comes before a rollout's hold as an
 * override does: rollouts move the agents that follow the default, and such an agent does not.
 */
export async function imageForAgent(
  db: DbOrTx,
  agentId: string,
  plan: Pick<AgentPlan, 'name' | 'agentImage'> | null,
): Promise<ImageChoice> {
  const [agent] = await db
    .select({ override: agents.imageOverride })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  if (agent?.override) return { image: agent.override, why: "the person's own image" };
  if (plan?.agentImage)
    return { image: plan.agentImage, why: `the image of the plan ${JSON.stringify(plan.name)}` };
  const [held] = await db
    .select({ previousImage: rolloutAgents.previousImage, status: rolloutAgents.status })
    .from(rolloutAgents)
    .innerJoin(rollouts, eq(rollouts.id, rolloutAgents.rolloutId))
    .where(
      and(
        eq(rolloutAgents.agentId, agentId),
        or(
          and(
            eq(rolloutAgents.status, 'pending'),
            inArray(rollouts.status, ['running', 'paused', 'stopped_failed']),
          ),
          eq(rolloutAgents.status, 'rolling_back'),
        ),
      ),
    )
    .orderBy(desc(rollouts.createdAt))
    .limit(1);
  if (held) {
    return {
      image: held.previousImage,
      why:
        held.status === 'pending'
          ? 'its image until the rollout reaches it'
          : 'rolled back to its previous image',
    };
  }
  const [setting] = await db
    .select({ value: portalSettings.value })
    .from(portalSettings)
    .where(eq(portalSettings.key, 'agent_image.default'))
    .limit(1);
  if (setting) return { image: setting.value, why: "the portal's default image" };
  return { image: null, why: "the worker's default image" };
}
