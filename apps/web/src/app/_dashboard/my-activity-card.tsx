'use client';

import { useQuery } from '@tanstack/react-query';
import { ActivityList } from '~/components/activity-list';
import { Card } from '~/components/ui/card';
import { useTRPC } from '~/trpc/react';

export function MyActivityCard() {
  const trpc = useTRPC();
  const activity = useQuery(trpc.user.activity.queryOptions({ limit: 10 }));
  return (
    <Card title="Your activity">
      {activity.isLoading ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : (
        <ActivityList events={activity.data?.items ?? []} />
      )}
    </Card>
  );
}
