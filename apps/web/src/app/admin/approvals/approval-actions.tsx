'use client';

import { useState } from 'react';
import { useBulkSelection } from '~/components/bulk-selection';
import { UserCheck } from '~/components/icons';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { useAction } from '~/components/use-action';
import { approvePeople, rejectPeople } from './actions';

/** Approves the selected people. */
export function ApproveButton() {
  const selection = useBulkSelection();
  const approve = useAction(approvePeople);
  const { ids } = selection;
  return (
    <Button
      disabled={!ids.length || approve.pending}
      onClick={async () => {
        selection.start();
        selection.finish('Approved', await approve.run({ ids }));
      }}
    >
      <UserCheck aria-hidden="true" className="size-4" />
      Approve {ids.length ? `(${ids.length})` : ''}
    </Button>
  );
}

/** Rejects the selected people with a reason they are shown. */
export function RejectForm() {
  const selection = useBulkSelection();
  const reject = useAction(rejectPeople);
  const [reason, setReason] = useState('');
  const { ids } = selection;
  return (
    <form
      className="mt-6 flex flex-col gap-3 border-t border-border pt-4 sm:flex-row sm:items-end"
      onSubmit={async (e) => {
        e.preventDefault();
        selection.start();
        if (selection.finish('Rejected', await reject.run({ ids, reason }))) setReason('');
      }}
    >
      <div className="flex-1">
        <Field
          id="reject-reason"
          label="Reason for rejecting the selected people"
          hint="They see this reason."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={1000}
        />
      </div>
      <Button type="submit" variant="danger" disabled={!ids.length || !reason.trim() || reject.pending}>
        Reject {ids.length ? `(${ids.length})` : ''}
      </Button>
    </form>
  );
}
