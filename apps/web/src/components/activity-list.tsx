import type { RouterOutputs } from '@pocket-smyth/api';
import { History } from '~/components/icons';
import { EmptyState } from './ui/empty-state';
import { TimeAgo } from './ui/time';

type Event = RouterOutputs['admin']['activity']['list']['items'][number];

const phrases: Record<string, string> = {
  'person.signed_up': 'Signed up',
  'person.signed_in': 'Signed in',
  'person.onboarded': 'Asked for access',
  'person.approved': 'Approved',
  'person.rejected': 'Rejected',
  'person.revoked': 'Access revoked',
  'person.restored': 'Access restored',
  'person.deleted': 'Deleted',
  'person.preferences_updated': 'Preferences changed',
  'agent.restart_requested': 'Agent restart requested',
  'agent.public_enabled': 'Public URL turned on',
  'agent.public_disabled': 'Public URL turned off',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'run.retry_requested': 'Run retried',
  'agent.move_requested': 'Agent move requested',
  'host.evacuation_requested': 'Host evacuation started',
  'agent.quota_stopped': 'Agent stopped: monthly agent-hours used up',
  'agent.quota_restarted': 'Agent started again: agent-hours available',
  'quota.topup_granted': 'Agent-hours top-up granted',
};

export function describeAction(action: string): string {
  return phrases[action] ?? action;
}

/** A compact event list: what, who and when. */
export function ActivityList({ events }: { events: Event[] }) {
  if (events.length === 0) return <EmptyState icon={History}>Nothing yet.</EmptyState>;
  return (
    <ul className="flex flex-col divide-y divide-border text-sm">
      {events.map((e) => (
        <li
          key={e.id}
          className="flex flex-wrap items-baseline justify-between gap-2 py-2"
          data-action={e.action}
        >
          <span>
            {describeAction(e.action)}
            <span className="text-muted"> · {e.actorLabel ?? e.actorKind}</span>
          </span>
          <TimeAgo date={e.at} className="text-xs text-muted" />
        </li>
      ))}
    </ul>
  );
}
