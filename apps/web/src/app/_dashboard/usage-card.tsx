'use client';

import { useQuery } from '@tanstack/react-query';
import { Card } from '~/components/ui/card';
import { UsageSummary } from '~/components/usage/usage-summary';
import { useTRPC } from '~/trpc/react';

/** This month's usage (docs/ARCHITECTURE.md, "Usage metering"). */
export function UsageCard() {
  const trpc = useTRPC();
  const usage = useQuery({ ...trpc.user.usage.queryOptions({}), refetchInterval: 60_000 });
  return (
    <Card title="Usage this month">
      {usage.data ? <UsageSummary usage={usage.data} /> : <p className="text-sm text-muted">Loading…</p>}
    </Card>
  );
}
