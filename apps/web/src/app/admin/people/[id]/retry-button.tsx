'use client';

import { Button } from '~/components/ui/button';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { retryRun } from './actions';

/** Retries the newest run, which failed, from its failed step. */
export function RetryButton({ runId }: { runId: string }) {
  const toast = useToast();
  const retry = useAction(retryRun);
  return (
    <Button
      className="px-2 py-1"
      disabled={retry.pending}
      onClick={async () => {
        const answer = await retry.run({ id: runId });
        if (answer.ok) toast('Retrying from the failed step.');
        else toast(answer.error, 'error');
      }}
    >
      Retry from failed step
    </Button>
  );
}
