'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { deletePerson, revokePerson } from './actions';

/**
 * The revoke dialog (a reason they see) or the delete dialog (the username typed again), loaded by
 * PersonActions on the click that opens it. It is mounted open; closing unmounts it.
 */
export default function PersonDialog({
  kind,
  id,
  confirmWord,
  onClose,
}: {
  kind: 'revoke' | 'delete';
  id: string;
  confirmWord: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const revoke = useAction(revokePerson);
  const remove = useAction(deletePerson);
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState('');
  const cancel = (
    <Button variant="secondary" onClick={onClose}>
      Cancel
    </Button>
  );
  if (kind === 'revoke') {
    return (
      <Dialog open onClose={onClose} title={`Revoke ${confirmWord}?`}>
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const answer = await revoke.run({ id, reason });
            if (!answer.ok) return toast(answer.error, 'error');
            toast('Access revoked; they are signed out everywhere.');
            onClose();
          }}
          className="flex flex-col gap-4"
        >
          <p className="text-sm text-muted">
            They are signed out, their tokens stop working and their agent stops. Data is kept.
          </p>
          <Field
            id="revoke-reason"
            label="Reason"
            hint="They see it."
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
          />
          <div className="flex justify-end gap-2">
            {cancel}
            <Button type="submit" variant="danger" disabled={!reason.trim() || revoke.pending}>
              Revoke access
            </Button>
          </div>
        </form>
      </Dialog>
    );
  }
  return (
    <Dialog open onClose={onClose} title={`Delete ${confirmWord}?`}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = await remove.run({ id, confirm });
          if (!answer.ok) return toast(answer.error, 'error');
          toast('Deleted. Their agent is being removed.');
          router.push('/admin/people');
        }}
        className="flex flex-col gap-4"
      >
        <p className="text-sm text-muted">
          Their account and agent (container and data) are removed. The activity log keeps what happened. This
          cannot be undone.
        </p>
        <Field
          id="delete-confirm"
          label={`Type “${confirmWord}” to confirm`}
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          autoComplete="off"
        />
        <div className="flex justify-end gap-2">
          {cancel}
          <Button
            type="submit"
            variant="danger"
            disabled={confirm.trim().toLowerCase() !== confirmWord.toLowerCase() || remove.pending}
          >
            Delete for good
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
