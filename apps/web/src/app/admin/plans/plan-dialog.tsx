'use client';

import { useEffect } from 'react';
import { Dialog } from '~/components/ui/dialog';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { createPlan, updatePlan } from './actions';
import type { PlanSummary } from './plan-figures';
import { PlanForm, type PlanFormValues } from './plan-form';

/**
 * The dialog that creates a plan, or edits `plan`. Loaded on the first click (plan-actions.tsx), so the
 * form is not in the page's first load.
 */
export default function PlanDialog({
  plan,
  open,
  onClose,
}: {
  plan?: PlanSummary;
  open: boolean;
  onClose: () => void;
}) {
  const toast = useToast();
  const save = useAction((values: PlanFormValues) =>
    plan ? updatePlan({ id: plan.id, ...values }) : createPlan(values),
  );
  const { reset } = save;
  // A refusal shown last time is not shown again when the dialog is next opened.
  useEffect(() => {
    if (!open) reset();
  }, [open]);
  const submit = async (values: PlanFormValues) => {
    const answer = await save.run(values);
    if (answer.ok) {
      toast(plan ? `Plan ${answer.data} saved.` : `Plan ${answer.data} created.`);
      onClose();
    } else if (plan) {
      toast(answer.error, 'error');
    }
  };
  return (
    <Dialog open={open} onClose={onClose} title={plan ? `Edit ${plan.name}` : 'New plan'}>
      {open ? (
        <PlanForm
          plan={plan}
          pending={save.pending}
          error={save.error}
          submitLabel={plan ? 'Save plan' : 'Create plan'}
          onSubmit={(values) => void submit(values)}
          onCancel={onClose}
        />
      ) : null}
    </Dialog>
  );
}
