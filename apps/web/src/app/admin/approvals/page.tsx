import type { Metadata } from 'next';
import {
  BulkErrorLine,
  BulkOutcomeLine,
  BulkSelection,
  SelectAll,
  SelectRow,
} from '~/components/bulk-selection';
import { Inbox } from '~/components/icons';
import { RefreshEvery } from '~/components/refresh-every';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { ApproveButton, RejectForm } from './approval-actions';

export const metadata: Metadata = { title: 'Approvals' };

/**
 * Pending people, oldest first; select many and approve, or reject with a reason. Rendered on the
 * server and re-read every 10 seconds, so sign-ups appear and those another admin handled leave.
 */
export default async function AdminApprovalsPage() {
  const pending = await (await serverCaller()).admin.users.list({
    status: 'pending',
    order: 'oldest',
    limit: 100,
  });
  const items = pending.items;
  return (
    <>
      <h1 className="text-2xl font-semibold">Approval queue</h1>
      <RefreshEvery ms={10_000} />
      <BulkSelection rows={items.map((p) => ({ id: p.id, name: p.username ?? p.email }))}>
        <Card title={`Waiting (${pending.counts.pending})`} actions={<ApproveButton />}>
          <BulkOutcomeLine />
          {items.length === 0 ? (
            <EmptyState icon={Inbox}>Nobody is waiting. New sign-ups appear here.</EmptyState>
          ) : (
            <ScrollArea label="Pending people">
              <table className="stack-table w-full text-left text-sm">
                <thead className="text-muted">
                  <tr>
                    <th className="w-8 py-2 pr-3">
                      <SelectAll label="Select all" />
                    </th>
                    <th className="py-2 pr-3">Username</th>
                    <th className="py-2 pr-3">Email</th>
                    <th className="py-2">Waiting</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((p) => (
                    <tr key={p.id} className="border-t border-border">
                      <td data-label="Select" className="py-2 pr-3">
                        <SelectRow id={p.id} />
                      </td>
                      <td data-label="Username" className="py-2 pr-3">
                        <span className="font-mono">{p.username}</span>
                      </td>
                      <td data-label="Email" className="py-2 pr-3 break-all">
                        {p.email}
                      </td>
                      <td data-label="Waiting" className="whitespace-nowrap py-2">
                        {p.requestedAt ? <TimeAgo date={p.requestedAt} /> : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          )}
          <RejectForm />
          <BulkErrorLine className="mt-3" />
        </Card>
      </BulkSelection>
    </>
  );
}
