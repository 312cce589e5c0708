import type { Metadata } from 'next';
import { ApprovalQueue } from './approval-queue';

export const metadata: Metadata = { title: 'Approvals' };

export default function AdminApprovalsPage() {
  return (
    <>
      <h1 className="text-2xl font-semibold">Approval queue</h1>
      <ApprovalQueue />
    </>
  );
}
