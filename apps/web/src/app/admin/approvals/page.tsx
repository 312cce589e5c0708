import type { Metadata } from 'next';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { ApprovalQueue } from './approval-queue';

export const metadata: Metadata = { title: 'Approvals' };

export default async function AdminApprovalsPage() {
  // The same input as ApprovalQueue's query, so the queue is on the first paint.
  await getServerQueryClient().prefetchQuery(
    trpcServer.admin.users.list.queryOptions({ status: 'pending', order: 'oldest', limit: 100 }),
  );
  return (
    <>
      <h1 className="text-2xl font-semibold">Approval queue</h1>
      <TRPCReactProvider>
        <HydrateClient>
          <ApprovalQueue />
        </HydrateClient>
      </TRPCReactProvider>
    </>
  );
}
