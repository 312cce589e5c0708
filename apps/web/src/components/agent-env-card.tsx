'use client';

import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { ConfirmOnDemand } from '~/components/ui/confirm-on-demand';
import { Field } from '~/components/ui/field';
import { TimeAgo } from '~/components/ui/time';

export interface AgentEnvVarView {
  name: string;
  /** The last four characters of the value; empty for a short one. Never the value. */
  last4: string;
  updatedAt: string;
}

/**
 * The "Environment" card (docs/ARCHITECTURE.md, "Agent secrets"): an agent's variables by name with
 * ••••last4, a form that adds or replaces one (the value in a password field, never shown back), and
 * delete with a confirmation. Each change provisions a running agent again, and the card says so. The
 * dashboard (their own) and the admin's person page (anyone's) give it their own procedures.
 */
export function AgentEnvCard({
  vars,
  whose,
  onSet,
  onDelete,
  setting,
  deleting,
  error,
  icons,
}: {
  vars: readonly AgentEnvVarView[] | undefined;
  /** "your agent" or "ada’s agent", for the sentences. */
  whose: string;
  /** Resolves when stored; rejects with the server's message. */
  onSet: (input: { name: string; value: string }) => Promise<unknown>;
  onDelete: (name: string) => Promise<unknown>;
  setting: boolean;
  deleting: boolean;
  /** The last set's refusal (bad name, no key), shown under the form. */
  error: string | null;
  /**
   * The empty list's and the remove buttons' icons, rendered by a server component (e.g.
   * `<Trash2 aria-hidden="true" className="size-4" />`): imported here, lucide's runtime would come
   * with this client card. Without them the card shows no icons.
   */
  icons?: { empty?: ReactNode; remove?: ReactNode };
}) {
  const formId = useId();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const replacing = vars?.some((v) => v.name === name) ?? false;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await onSet({ name: name.trim(), value });
      setName('');
      setValue('');
    } catch {
      // Shown by `error`; the form keeps what was typed so it can be corrected.
    }
  };

  return (
    <Card title="Environment">
      <div className="flex flex-col gap-4 text-sm">
        <p className="text-muted">
          Variables {whose} starts with, such as an API key. Values are stored encrypted and never shown
          again, only their last four characters. Saving or removing one restarts the agent.
        </p>
        {!vars || vars.length === 0 ? (
          // EmptyState's look; it takes a lucide component, which would bring lucide into this card.
          <div className="flex items-center gap-3 rounded-md border border-dashed border-border px-4 py-3 text-sm text-muted">
            {icons?.empty}
            <p>No variables yet.</p>
          </div>
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
                <Button
                  variant="ghost"
                  className="ml-auto px-2 py-1"
                  onClick={() => setRemoving(v.name)}
                  disabled={deleting}
                >
                  {icons?.remove}
                  Remove<span className="sr-only"> {v.name}</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Add or replace a variable">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <Field
              id={`${formId}-name`}
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value.toUpperCase())}
              placeholder="OPENAI_API_KEY"
              autoComplete="off"
              spellCheck={false}
              maxLength={64}
              required
              hint="A–Z, 0–9 and _; not PATH, HOME, PORT or AGENT_…"
            />
            <Field
              id={`${formId}-value`}
              label="Value"
              type="password"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              autoComplete="new-password"
              maxLength={8192}
              required
              error={error ?? undefined}
            />
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={setting || !name.trim() || !value}>
              {setting ? 'Saving…' : replacing ? 'Replace and restart' : 'Save and restart'}
            </Button>
            {replacing ? <span className="text-muted">{name} exists; saving replaces its value.</span> : null}
          </div>
        </form>
      </div>
      <ConfirmOnDemand
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing ?? ''}?`}
        confirmLabel="Remove and restart"
        pendingLabel="Removing…"
        pending={deleting}
        onConfirm={async () => {
          if (!removing) return;
          try {
            await onDelete(removing);
          } finally {
            setRemoving(null);
          }
        }}
        tone="danger"
      >
        The agent restarts without it. The value is deleted and cannot be shown again.
      </ConfirmOnDemand>
    </Card>
  );
}
