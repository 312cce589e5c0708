'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

const hours = (n: number) => `${Math.round(n * 10) / 10} h`;

/**
 * The person's agent-hours quota this month and the admin's one-off top-up (docs/ARCHITECTURE.md, "Plans
 * and quotas"): hours and a reason, audited; an agent the quota stopped starts again at once.
 */
export function QuotaCard({ personId }: { personId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const quota = useQuery(trpc.admin.users.quota.queryOptions({ id: personId }));
  const [agentHours, setAgentHours] = useState('');
  const [reason, setReason] = useState('');
  const grant = useMutation(
    trpc.admin.users.grantQuotaTopUp.mutationOptions({
      onSuccess: (result) => {
        toast(
          `Granted; their limit this month is ${hours(result.limitHours ?? 0)}${result.exhausted ? ', still used up' : ''}.`,
        );
        setAgentHours('');
        setReason('');
        void queryClient.invalidateQueries();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const amount = Number(agentHours);
  const valid = agentHours.trim() !== '' && amount > 0 && amount <= 744 && reason.trim() !== '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) grant.mutate({ id: personId, agentHours: amount, reason: reason.trim() });
  };
  const q = quota.data;
  return (
    <Card title="Agent-hours quota">
      {!q ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : (
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
          <form onSubmit={submit} className="mt-2 flex flex-col gap-2">
            <Field
              id="quota-top-up-hours"
              label="Grant top-up (agent-hours, this month)"
              inputMode="decimal"
              value={agentHours}
              onChange={(e) => setAgentHours(e.target.value)}
            />
            <Field
              id="quota-top-up-reason"
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <div>
              <Button type="submit" variant="secondary" disabled={!valid || grant.isPending}>
                {grant.isPending ? 'Granting…' : 'Grant top-up'}
              </Button>
            </div>
          </form>
        </div>
      )}
    </Card>
  );
}
