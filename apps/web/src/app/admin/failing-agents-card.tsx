import type { RouterOutputs } from '@pocket-smyth/api';
import Link from 'next/link';
import { errorClassInWords } from '~/components/format';
import { Card } from '~/components/ui/card';
import { TimeAgo } from '~/components/ui/time';

type FailingAgents = RouterOutputs['system']['status']['failingAgents'];

const failedKind: Record<FailingAgents['items'][number]['kind'], string> = {
  provision: 'Provision failed',
  restart: 'Restart failed',
  stop: 'Stop failed',
  deprovision: 'Removal failed',
  move: 'Move failed',
};

/**
 * The overview's to-do list: agents whose newest run failed for good, each with where and why in words
 * and the person's page, where the run is retried from its failed step.
 */
export function FailingAgentsCard({ failing }: { failing: FailingAgents }) {
  const more = failing.total - failing.items.length;
  return (
    <div id="needs-attention" className="scroll-mt-4">
      <Card title="Needs attention">
        {failing.items.length === 0 ? (
          <p className="text-sm text-muted">
            Nothing is waiting for you: every agent’s latest run succeeded or is still going.
          </p>
        ) : (
          <ul className="flex flex-col divide-y divide-border text-sm">
            {failing.items.map((item) => (
              <li key={item.runId} className="flex flex-col gap-1 py-3" data-run-id={item.runId}>
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <span>
                    {item.personId ? (
                      <Link
                        href={`/admin/people/${item.personId}`}
                        className="font-medium text-accent underline-offset-2 hover:underline"
                      >
                        {item.username}
                      </Link>
                    ) : (
                      <span className="font-medium">
                        {item.username} <span className="font-normal text-muted">(deleted)</span>
                      </span>
                    )}
                    <span className="text-danger"> · {failedKind[item.kind]}</span>
                    {item.step ? <span className="text-muted"> at “{item.step}”</span> : null}
                    {item.attempt > 1 ? <span className="text-muted"> · tried {item.attempt}×</span> : null}
                  </span>
                  {item.failedAt ? <TimeAgo date={item.failedAt} className="text-xs text-muted" /> : null}
                </div>
                <p className="line-clamp-3 break-words text-muted" title={item.errorMessage ?? undefined}>
                  {(item.errorClass && errorClassInWords[item.errorClass]) ?? 'It failed.'}
                  {item.errorMessage ? ` ${item.errorMessage}` : null}
                </p>
              </li>
            ))}
          </ul>
        )}
        {more > 0 ? (
          <p className="mt-3 text-sm text-muted">And {more} more; each person’s page shows their runs.</p>
        ) : null}
      </Card>
    </div>
  );
}
