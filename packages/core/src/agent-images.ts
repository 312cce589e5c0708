import {
  activeRolloutStatuses,
  agents,
  type Db,
  type DbOrTx,
  portalSettings,
  rollouts,
} from '@pocket-smyth/db';
import { provisionAgent } from '@pocket-smyth/jobs/contract';
import { eq, inArray } from 'drizzle-orm';
import { recordAudit } from './audit';
import { conflict, notFound } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import { type ChangeDeps, requesterOf } from './ports';

/**
 * An image reference as the provision script accepts it (infra/host/provision checks it again): no
 * leading '-', so it can never read as a docker flag; at most 255 characters.
 */
export const imageReferencePattern = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/;

/** The portal's default agent image; null: not set (the worker's AGENT_IMAGE, else the host's default). */
export async function defaultAgentImage(
  db: DbOrTx,
): Promise<{ image: string | null; updatedAt: Date | null }> {
  const [row] = await db
    .select({ value: portalSettings.value, updatedAt: portalSettings.updatedAt })
    .from(portalSettings)
    .where(eq(portalSettings.key, 'agent_image.default'))
    .limit(1);
  return { image: row?.value ?? null, updatedAt: row?.updatedAt ?? null };
}

/** Writes (or, for null, clears) the default image inside `tx`; rollouts and their rollbacks use it too. */
export async function writeDefaultAgentImage(
  tx: DbOrTx,
  image: string | null,
  byId: string | null,
): Promise<void> {
  if (image === null) {
    await tx.delete(portalSettings).where(eq(portalSettings.key, 'agent_image.default'));
    return;
  }
  const now = new Date();
  await tx
    .insert(portalSettings)
    .values({ key: 'agent_image.default', value: image, updatedById: byId, updatedAt: now })
    .onConflictDoUpdate({
      target: portalSettings.key,
      set: { value: image, updatedById: byId, updatedAt: now },
    });
}

/** A rollout still moving agents owns the default image until it ends. */
export async function refuseDuringRollout(tx: DbOrTx, what: string): Promise<void> {
  const [moving] = await tx
    .select({ id: rollouts.id, status: rollouts.status })
    .from(rollouts)
    .where(inArray(rollouts.status, [...activeRolloutStatuses]))
    .limit(1);
  if (moving) {
    throw conflict(`A rollout is ${moving.status.replace('_', ' ')}; ${what} once it has ended.`, {
      rolloutId: moving.id,
    });
  }
}

/**
 * An admin sets the default image (docs/ARCHITECTURE.md, "Images and rollouts"): new agents and every
 * later provision take it; running agents keep theirs until a rollout moves them (or they are started
 * again). Refused while a rollout is moving agents.
 */
export async function setDefaultAgentImage(
  db: Db,
  deps: ChangeDeps,
  image: string | null,
): Promise<{ image: string | null; updatedAt: Date | null }> {
  await db.transaction(async (tx) => {
    await refuseDuringRollout(tx, 'change the default image');
    const before = await defaultAgentImage(tx);
    if (before.image === image) return;
    await writeDefaultAgentImage(tx, image, deps.actor.personId);
    await recordAudit(tx, deps, {
      action: 'settings.agent_image_changed',
      before: { image: before.image },
      after: { image },
    });
  });
  return defaultAgentImage(db);
}

export interface PersonAgentImage {
  agentId: string;
  username: string;
  imageOverride: string | null;
  runningImage: string | null;
  /** Whether a provision was sent so that the running agent takes the new image now. */
  reprovisioning: boolean;
}

/**
 * An admin gives one person's agent its own image (null: follow the default again). A running agent
 * is provisioned again at once (its container is made anew from the image, its data kept); a stopped one
 * takes it at its next start.
 */
export async function setPersonAgentImage(
  db: Db,
  deps: ChangeDeps,
  personId: string,
  image: string | null,
): Promise<PersonAgentImage> {
  const result = await db.transaction(async (tx) => {
    const [agent] = await tx.select().from(agents).where(eq(agents.userId, personId)).limit(1);
    if (!agent) throw notFound('Agent');
    if (agent.desiredState === 'absent') throw conflict(`${agent.username}’s agent is being removed.`);
    const changed = agent.imageOverride !== image;
    const reprovisioning = changed && agent.desiredState === 'running';
    if (changed) {
      await tx
        .update(agents)
        .set({ imageOverride: image, updatedAt: new Date() })
        .where(eq(agents.id, agent.id));
      await recordAudit(tx, deps, {
        action: 'agent.image_set',
        target: { kind: 'agent', id: agent.id, label: agent.username },
        before: { image: agent.imageOverride },
        after: { image },
      });
    }
    return {
      value: {
        agentId: agent.id,
        username: agent.username,
        imageOverride: image,
        runningImage: agent.runningImage,
        reprovisioning,
      },
      jobs: reprovisioning
        ? [provisionAgent(agent.id, { newRun: true, requestedBy: requesterOf(deps) })]
        : [],
    };
  });
  await enqueueAfterCommit(deps, result.jobs);
  return result.value;
}
