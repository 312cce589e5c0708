import type { AgentEnvVarView } from '~/components/agent-env-card';
import { SlidersHorizontal, Trash2 } from '~/components/icons';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { TimeAgo } from '~/components/ui/time';
import { EnvVarForm, RemoveEnvVar } from './agent-env-islands';

/**
 * A person's agent environment variables, as an admin manages them (admin.users.env.*): the
 * "Environment" card of components/agent-env-card.tsx, rendered on the server so that its icons stay
 * there (that shared card is a client component drawing lucide icons, whose runtime would cost this
 * page its budget); the remove buttons and the form are islands.
 */
export function PersonAgentEnvCard({
  id,
  username,
  vars,
}: {
  id: string;
  username: string;
  vars: AgentEnvVarView[];
}) {
  const whose = `${username}’s agent`;
  return (
    <Card title="Environment">
      <div className="flex flex-col gap-4 text-sm">
        <p className="text-muted">
          Variables {whose} starts with, such as an API key. Values are stored encrypted and never shown
          again, only their last four characters. Saving or removing one restarts the agent.
        </p>
        {vars.length === 0 ? (
          <EmptyState icon={SlidersHorizontal}>No variables yet.</EmptyState>
        ) : (
          <ul className="divide-y divide-border rounded-md border border-border">
            {vars.map((v) => (
              <li key={v.name} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
                <code className="font-mono">{v.name}</code>
                <span className="font-mono text-muted">
                  <span aria-hidden="true">••••</span>
                  <span className="sr-only">value ending in </span>
                  {v.last4 || <span className="sr-only">(hidden)</span>}
                </span>
                <span className="text-xs text-muted">
                  set <TimeAgo date={v.updatedAt} />
                </span>
                <RemoveEnvVar id={id} name={v.name} username={username}>
                  <Trash2 aria-hidden="true" className="size-4" />
                </RemoveEnvVar>
              </li>
            ))}
          </ul>
        )}
        <EnvVarForm id={id} username={username} names={vars.map((v) => v.name)} />
      </div>
    </Card>
  );
}
