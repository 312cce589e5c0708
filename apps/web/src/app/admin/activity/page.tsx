import type { Metadata } from 'next';
import { ActivityLog } from './activity-log';

export const metadata: Metadata = { title: 'Activity' };

export default function AdminActivityPage() {
  return (
    <>
      <h1 className="text-2xl font-semibold">Activity log</h1>
      <ActivityLog />
    </>
  );
}
