import { agentQuotaTopUps, type Db, timeOrderedId, users } from '@pocket-smyth/db';
import { and, asc, eq } from 'drizzle-orm';
import { type AgentQuota, agentQuotaFor, checkAgentQuotas, type QuotaCheckDeps } from './agent-quota';
import { recordAudit } from './audit';
import { badRequest, notFound } from './errors';
import { usagePeriodBounds } from './usage-queries';

/** A one-off grant of agent-hours for this month (docs/ARCHITECTURE.md, "Plans and quotas"). */
export interface QuotaTopUp {
  id: string;
  period: string;
  agentHours: number;
  reason: string;
  grantedByLabel: string | null;
  grantedAt: Date;
}

export interface AgentQuotaWithTopUps extends AgentQuota {
  topUps: QuotaTopUp[];
}

/** The most one grant adds: a month has at most 744 hours. */
export const MAX_TOP_UP_HOURS = 744;

/** The person's quota this month with this month's top-ups, for the admin person page. */
export async function agentQuotaOfPerson(
  db: Db,
  personId: string,
  now: Date = new Date(),
): Promise<AgentQuotaWithTopUps> {
  const [person] = await db.select({ id: users.id }).from(users).where(eq(users.id, personId));
  if (!person) throw notFound('Person');
  const quota = await agentQuotaFor(db, personId, now);
  const topUps = await db
    .select({
      id: agentQuotaTopUps.id,
      period: agentQuotaTopUps.period,
      agentHours: agentQuotaTopUps.agentHours,
      reason: agentQuotaTopUps.reason,
      grantedByLabel: agentQuotaTopUps.grantedByLabel,
      grantedAt: agentQuotaTopUps.grantedAt,
    })
    .from(agentQuotaTopUps)
    .where(and(eq(agentQuotaTopUps.userId, personId), eq(agentQuotaTopUps.period, quota.period)))
    .orderBy(asc(agentQuotaTopUps.id));
  return { ...quota, topUps };
}

/**
 * An admin adds `agentHours` to the person's quota for this month, with a reason: one transaction with
 * its audit event (`quota.topup_granted`). The quota is checked for the person at once after the commit,
 * so an agent the quota stopped starts again now rather than at the next minute's check.
 */
export async function grantQuotaTopUp(
  db: Db,
  deps: QuotaCheckDeps,
  personId: string,
  input: { agentHours: number; reason: string },
  now: Date = new Date(),
): Promise<AgentQuotaWithTopUps> {
  const reason = input.reason.trim();
  if (!reason) throw badRequest('A top-up needs a reason');
  if (!(input.agentHours > 0) || input.agentHours > MAX_TOP_UP_HOURS) {
    throw badRequest(`A top-up is more than 0 and at most ${MAX_TOP_UP_HOURS} agent-hours`);
  }
  const { period } = usagePeriodBounds(undefined, now);
  await db.transaction(async (tx) => {
    const [person] = await tx
      .select({ id: users.id, username: users.username, email: users.email })
      .from(users)
      .where(eq(users.id, personId));
    if (!person) throw notFound('Person');
    const id = timeOrderedId(now.getTime());
    await tx.insert(agentQuotaTopUps).values({
      id,
      userId: personId,
      period,
      agentHours: input.agentHours,
      reason,
      grantedById: deps.actor.id,
      grantedByLabel: deps.actor.label,
      grantedAt: now,
    });
    await recordAudit(tx, deps, {
      action: 'quota.topup_granted',
      target: { kind: 'person', id: personId, label: person.username ?? person.email },
      after: { topUpId: id, period, agentHours: input.agentHours, reason },
    });
  });
  await checkAgentQuotas(db, deps, now, personId);
  return agentQuotaOfPerson(db, personId, now);
}
