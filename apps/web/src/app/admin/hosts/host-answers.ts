'use client';

import { useToast } from '~/components/ui/toast';
import type { ActionResult } from '~/server/procedure-action';

// What the host buttons (host-actions.tsx) and the dialogs they fetch on a click (host-dialogs.tsx,
// add-host-dialog.tsx) share: in a file of its own, so the dialogs do not import their opener.

export interface DialogProps {
  id: string;
  name: string;
  open: boolean;
  onClose: () => void;
}

/** Toasts an action's answer: `success` when it went through, the procedure's message when not. */
export function useToastAnswer() {
  const toast = useToast();
  return (answer: ActionResult<unknown>, success: string) => {
    if (answer.ok) toast(success);
    else toast(answer.error, 'error');
    return answer.ok;
  };
}
