import type { RouterOutputs } from '@pocket-smyth/api';
import Link from 'next/link';
import { RunTimelines } from '~/components/run-timeline';
import { Card } from '~/components/ui/card';

/**
 * The latest runs of the person's agent, read with the agent card's agent in the same server render
 * (re-read every 2 s while one is moving, so no step is missed; ./agent-and-runs), so the two never
 * disagree.
 * `ownAdminPage` is the viewer's own page in the admin panel when they are an admin: a failed run of
 * theirs waits for an admin, which is them.
 */
export function RunsCard({
  runs,
  ownAdminPage,
}: {
  runs: RouterOutputs['runs']['mine'];
  ownAdminPage?: string;
}) {
  return (
    <Card title="Provisioning timeline">
      {!runs.length ? (
        <p className="text-sm text-muted">
          No runs yet. The first one starts as soon as your agent is scheduled.
        </p>
      ) : (
        <div className="flex flex-col gap-3" aria-live="polite">
          {runs[0]?.status === 'failed' ? (
            // Mirrors the "needs attention" mail: a failed run waits for an admin, it is not retried alone.
            <p className="text-sm" data-testid="latest-run-failed">
              Your agent’s latest run failed and will not be tried again on its own.{' '}
              {ownAdminPage ? (
                <>
                  As an admin, you can retry it from the step that failed on{' '}
                  <Link href={ownAdminPage} className="underline">
                    your page in the admin panel
                  </Link>
                  .
                </>
              ) : (
                'Admins are told and can retry it from the step that failed.'
              )}
            </p>
          ) : null}
          <RunTimelines runs={runs} />
        </div>
      )}
    </Card>
  );
}
