import type { RouterOutputs } from '@pocket-smyth/api';
import { Card } from '~/components/ui/card';
import { hours } from './hours';
import { TopUpForm } from './top-up-form';

/**
 * The person's agent-hours quota this month and the admin's one-off top-up (docs/ARCHITECTURE.md, "Plans
 * and quotas"): hours and a reason, audited; an agent the quota stopped starts again at once. Rendered
 * on the server; only the top-up form runs in the browser.
 */
export function QuotaCard({
  personId,
  quota: q,
}: {
  personId: string;
  quota: RouterOutputs['admin']['users']['quota'];
}) {
  return (
    <Card title="Agent-hours quota">
      <div className="flex flex-col gap-2 text-sm" data-testid="person-quota">
        <p>
          {q.limitHours === null
            ? `Unlimited on their plan; ${hours(q.usedHours)} used in ${q.period}.`
            : `${hours(q.usedHours)} of ${hours(q.limitHours)} used in ${q.period} (${q.percent ?? 0}%)${
                q.topUpHours > 0 ? `, including ${hours(q.topUpHours)} of top-ups` : ''
              }. Resets ${q.resetsAt.slice(0, 10)} (UTC).`}
        </p>
        {q.exhausted ? (
          <p className="text-danger">
            Used up: their agent is stopped and cannot be started until it resets.
          </p>
        ) : null}
        {q.topUps.length > 0 ? (
          <ul className="text-muted">
            {q.topUps.map((t) => (
              <li key={t.id}>
                +{hours(t.agentHours)} by {t.grantedByLabel ?? 'an admin'}: {t.reason}
              </li>
            ))}
          </ul>
        ) : null}
        <TopUpForm personId={personId} />
      </div>
    </Card>
  );
}
