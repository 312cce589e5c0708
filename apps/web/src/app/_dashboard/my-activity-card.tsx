import type { RouterOutputs } from '@pocket-smyth/api';
import { ActivityList } from '~/components/activity-list';
import { Card } from '~/components/ui/card';

export function MyActivityCard({ activity }: { activity: RouterOutputs['user']['activity'] }) {
  return (
    <Card title="Your activity">
      <ActivityList events={activity.items} />
    </Card>
  );
}
