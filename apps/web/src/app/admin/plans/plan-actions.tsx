'use client';

import { lazy, Suspense, useState } from 'react';
import { Button } from '~/components/ui/button';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { updatePlan } from './actions';
import type { PlanSummary } from './plan-figures';

const PlanDialog = lazy(() => import('./plan-dialog'));

/** The create/edit dialog, fetched on the first click and kept mounted after, so closing restores focus. */
function usePlanDialog(plan?: PlanSummary) {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  return {
    show: () => {
      setLoaded(true);
      setOpen(true);
    },
    dialog: loaded ? (
      <Suspense fallback={null}>
        <PlanDialog plan={plan} open={open} onClose={() => setOpen(false)} />
      </Suspense>
    ) : null,
  };
}

export function NewPlanButton() {
  const { show, dialog } = usePlanDialog();
  return (
    <>
      <Button onClick={show}>New plan</Button>
      {dialog}
    </>
  );
}

/** A plan card's buttons: edit (in the dialog), make default, archive, or restore an archived plan. */
export function PlanActions({ plan }: { plan: PlanSummary }) {
  const toast = useToast();
  const update = useAction(updatePlan);
  const { show, dialog } = usePlanDialog(plan);
  const change = async (patch: { archived: boolean } | { isDefault: true }, done?: string) => {
    const answer = await update.run({ id: plan.id, ...patch });
    if (!answer.ok) toast(answer.error, 'error');
    else if (done) toast(done);
  };
  return (
    <div className="mt-4 flex flex-wrap gap-2">
      {plan.archivedAt ? (
        <Button variant="secondary" disabled={update.pending} onClick={() => change({ archived: false })}>
          Restore
        </Button>
      ) : (
        <>
          <Button variant="secondary" onClick={show}>
            Edit
          </Button>
          {plan.isDefault ? null : (
            <Button
              variant="secondary"
              disabled={update.pending}
              onClick={() => change({ isDefault: true }, `New people now get ${plan.name}.`)}
            >
              Make default
            </Button>
          )}
          {plan.isDefault ? null : (
            <Button
              variant="ghost"
              disabled={update.pending}
              onClick={() => change({ archived: true }, `${plan.name} archived.`)}
            >
              Archive
            </Button>
          )}
        </>
      )}
      {dialog}
    </div>
  );
}
