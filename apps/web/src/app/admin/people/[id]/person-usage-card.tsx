'use client';

import { useQuery } from '@tanstack/react-query';
import { Card } from '~/components/ui/card';
import { UsageSummary } from '~/components/usage/usage-summary';
import { useTRPC } from '~/trpc/react';

/** The person's usage this month, as their dashboard shows it. */
export function PersonUsageCard({ id }: { id: string }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.admin.users.usage.queryOptions({ id }));
  return (
    <Card title="Usage this month">
      {usage.data ? <UsageSummary usage={usage.data} /> : <p className="text-sm text-muted">Loading…</p>}
    </Card>
  );
}
