'use client';

import { lazy, Suspense, useState } from 'react';
import { Button } from '~/components/ui/button';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { restorePerson } from './actions';

// The revoke and delete dialogs load on the click that opens them: most visits open neither.
const PersonDialog = lazy(() => import('./person-dialog'));

/**
 * Revoke, restore and delete, the page's header buttons. `isSelf`: the server refuses revoking or
 * deleting oneself, so those are not offered. `confirmWord` is what the delete dialog asks to type.
 */
export function PersonActions({
  id,
  status,
  isSelf,
  confirmWord,
}: {
  id: string;
  status: string;
  isSelf: boolean;
  confirmWord: string;
}) {
  const toast = useToast();
  const restore = useAction(restorePerson);
  const [dialog, setDialog] = useState<null | 'revoke' | 'delete'>(null);
  return (
    <>
      {status === 'active' && !isSelf ? (
        <Button variant="secondary" onClick={() => setDialog('revoke')}>
          Revoke
        </Button>
      ) : null}
      {status === 'revoked' ? (
        <Button
          variant="secondary"
          disabled={restore.pending}
          onClick={async () => {
            const answer = await restore.run({ id });
            if (answer.ok) toast('Access restored.');
            else toast(answer.error, 'error');
          }}
        >
          Restore
        </Button>
      ) : null}
      {isSelf ? null : (
        <Button variant="danger" onClick={() => setDialog('delete')}>
          Delete
        </Button>
      )}
      {dialog ? (
        <Suspense fallback={null}>
          <PersonDialog kind={dialog} id={id} confirmWord={confirmWord} onClose={() => setDialog(null)} />
        </Suspense>
      ) : null}
    </>
  );
}
