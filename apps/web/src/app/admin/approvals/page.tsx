import { Inbox, UserCheck } from 'lucide-react';
import type { Metadata } from 'next';
import { RefreshEvery } from '~/components/refresh-every';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { ApprovalQueue, SelectAllBox, SelectBox } from './approval-selection';

export const metadata: Metadata = { title: 'Approvals' };

/**
 * Pending people, oldest first; select many and approve, or reject with a reason. Rendered here and
 * every 10 s, so people another admin decided on leave the list; the selection is the only client
 * state (docs/ARCHITECTURE.md, "Portal pages").
 */
export default async function AdminApprovalsPage() {
  const api = await serverCaller();
  const pending = await api.admin.users.list({ status: 'pending', order: 'oldest', limit: 100 });
  const items = pending.items;
  const nameOf = (p: (typeof items)[number]) => p.username ?? p.email;
  return (
    <>
      <h1 className="text-2xl font-semibold">Approval queue</h1>
      <ApprovalQueue
        people={items.map((p) => ({ id: p.id, name: nameOf(p) }))}
        waiting={pending.counts.pending}
        approveIcon={<UserCheck aria-hidden="true" className="size-4" />}
      >
        {items.length === 0 ? (
          <EmptyState icon={Inbox}>Nobody is waiting. New sign-ups appear here.</EmptyState>
        ) : (
          <ScrollArea label="Pending people">
            <table className="stack-table w-full text-left text-sm">
              <thead className="text-muted">
                <tr>
                  <th className="w-8 py-2 pr-3">
                    <SelectAllBox />
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
                      <SelectBox id={p.id} label={`Select ${nameOf(p)}`} />
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
      </ApprovalQueue>
      <RefreshEvery ms={10_000} />
    </>
  );
}
