import { SlidersHorizontal, Trash2 } from '~/components/icons';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { TimeAgo } from '~/components/ui/time';
import { EnvVarForm, RemoveEnvVar, type RemoveEnvVarAction, type SetEnvVarAction } from './agent-env-islands';

export interface AgentEnvVarView {
  name: string;
  /** The last four characters of the value; empty for a short one. Never the value. */
  last4: string;
  updatedAt: string;
}

/**
 * The "Environment" card (docs/ARCHITECTURE.md, "Agent secrets"): an agent's variables by name with
 * ••••last4, a form that adds or replaces one (the value in a password field, never shown back), and
 * remove with a confirmation. Each change provisions a running agent again, and the card says so.
 * Rendered on the server, so its icons stay there; the remove buttons and the form are islands. The
 * dashboard (their own agent) and the admin's person page (anyone's) give it their own server actions.
 */
export function AgentEnvCard({
  vars,
  whose,
  setAction,
  removeAction,
}: {
  vars: readonly AgentEnvVarView[];
  /** "your agent" or "ada’s agent", for the sentences and the toasts. */
  whose: string;
  setAction: SetEnvVarAction;
  removeAction: RemoveEnvVarAction;
}) {
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
                <RemoveEnvVar name={v.name} whose={whose} action={removeAction}>
                  <Trash2 aria-hidden="true" className="size-4" />
                </RemoveEnvVar>
              </li>
            ))}
          </ul>
        )}
        <EnvVarForm whose={whose} names={vars.map((v) => v.name)} action={setAction} />
      </div>
    </Card>
  );
}
