import type { Metadata } from 'next';
import { ChevronRight, Mail } from '~/components/icons';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';

export const metadata: Metadata = { title: 'Mail outbox' };

export default async function OutboxPage() {
  const mail = await (await serverCaller()).admin.outbox.list({ limit: 100 });
  return (
    <>
      <h1 className="text-2xl font-semibold">Mail outbox</h1>
      <Card>
        {mail.length === 0 ? (
          <EmptyState icon={Mail}>No mail yet.</EmptyState>
        ) : (
          <ul className="flex flex-col divide-y divide-border">
            {mail.map((m) => (
              <li key={m.id} className="py-3 text-sm">
                <details className="group">
                  <summary className="flex cursor-pointer flex-wrap items-center justify-between gap-2">
                    {/* A chevron says the row opens (a flex summary has no marker of its own). min-w-0 on
                        both levels lets a long address wrap instead of widening a phone's page. */}
                    <span className="flex min-w-0 items-start gap-1.5">
                      <ChevronRight
                        aria-hidden="true"
                        className="mt-0.5 size-4 shrink-0 text-muted transition-transform group-open:rotate-90"
                      />
                      <span className="min-w-0 break-words">
                        <span className="font-medium">{m.subject}</span>
                        <span className="text-muted"> → {m.to}</span>
                      </span>
                    </span>
                    <span className="flex items-center gap-2">
                      <StatusBadge status={m.status} />
                      <TimeAgo date={m.createdAt} className="text-xs text-muted" />
                    </span>
                  </summary>
                  <pre className="mt-2 whitespace-pre-wrap break-words rounded bg-bg p-3 text-xs">
                    {m.text}
                  </pre>
                  {m.error ? <p className="mt-1 text-danger">{m.error}</p> : null}
                </details>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
