import type { RouterOutputs } from '@pocket-smyth/api';
import { Card } from '~/components/ui/card';
import { UsageSummary } from '~/components/usage/usage-summary';

/** This month's usage (docs/ARCHITECTURE.md, "Usage metering"), re-read with the page. */
export function UsageCard({ usage }: { usage: RouterOutputs['user']['usage'] }) {
  return (
    <Card title="Usage this month">
      <UsageSummary usage={usage} />
    </Card>
  );
}
