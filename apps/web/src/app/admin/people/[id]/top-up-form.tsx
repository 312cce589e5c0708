'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { grantTopUp } from './actions';
import { hours } from './hours';

/** One-off agent-hours for this month with a reason: the quota card's only part in the browser. */
export function TopUpForm({ personId }: { personId: string }) {
  const toast = useToast();
  const [agentHours, setAgentHours] = useState('');
  const [reason, setReason] = useState('');
  const grant = useAction(grantTopUp);
  const amount = Number(agentHours);
  const valid = agentHours.trim() !== '' && amount > 0 && amount <= 744 && reason.trim() !== '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const answer = await grant.run({ id: personId, agentHours: amount, reason: reason.trim() });
    if (!answer.ok) return toast(answer.error, 'error');
    toast(
      `Granted; their limit this month is ${hours(answer.data.limitHours ?? 0)}${answer.data.exhausted ? ', still used up' : ''}.`,
    );
    setAgentHours('');
    setReason('');
  };
  return (
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
        <Button type="submit" variant="secondary" disabled={!valid || grant.pending}>
          {grant.pending ? 'Granting…' : 'Grant top-up'}
        </Button>
      </div>
    </form>
  );
}
