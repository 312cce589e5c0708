'use client';

import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Button } from '~/components/ui/button';
import { ConfirmOnDemand } from '~/components/ui/confirm-on-demand';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import type { ActionResult } from '~/server/procedure-action';

/** Stores a variable: a server action, the person's own or an admin's with the person bound to it. */
export type SetEnvVarAction = (input: {
  name: string;
  value: string;
}) => Promise<ActionResult<{ name: string; restarting: boolean }>>;
/** Removes a variable; its answer says whether the agent restarts without it. */
export type RemoveEnvVarAction = (input: { name: string }) => Promise<ActionResult<boolean>>;

/** A variable's Remove button and its confirmation; `children` is its icon, drawn on the server. */
export function RemoveEnvVar({
  name,
  whose,
  action,
  children,
}: {
  name: string;
  whose: string;
  action: RemoveEnvVarAction;
  children: ReactNode;
}) {
  const toast = useToast();
  const remove = useAction(action);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        className="ml-auto px-2 py-1"
        onClick={() => setOpen(true)}
        disabled={remove.pending}
      >
        {children}
        Remove<span className="sr-only"> {name}</span>
      </Button>
      <ConfirmOnDemand
        open={open}
        onClose={() => setOpen(false)}
        title={`Remove ${name}?`}
        confirmLabel="Remove and restart"
        pendingLabel="Removing…"
        pending={remove.pending}
        onConfirm={async () => {
          const answer = await remove.run({ name });
          setOpen(false);
          if (!answer.ok) return toast(answer.error, 'error');
          toast(answer.data ? `Removed; ${whose} is restarting without it.` : 'Removed.');
        }}
        tone="danger"
      >
        The agent restarts without it. The value is deleted and cannot be shown again.
      </ConfirmOnDemand>
    </>
  );
}

/**
 * Adds or replaces a variable: the value in a password field, never shown back. A refusal (bad name,
 * no key) shows under the form, which keeps what was typed so it can be corrected.
 */
export function EnvVarForm({
  whose,
  names,
  action,
}: {
  whose: string;
  names: string[];
  action: SetEnvVarAction;
}) {
  const formId = useId();
  const toast = useToast();
  const set = useAction(action);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const replacing = names.includes(name);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await set.run({ name: name.trim(), value });
    if (!answer.ok) return;
    toast(
      answer.data.restarting
        ? `Saved ${answer.data.name}; ${whose} is restarting with it.`
        : `Saved ${answer.data.name}; ${whose} gets it when it next starts.`,
    );
    setName('');
    setValue('');
  };
  return (
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
          error={set.error ?? undefined}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={set.pending || !name.trim() || !value}>
          {set.pending ? 'Saving…' : replacing ? 'Replace and restart' : 'Save and restart'}
        </Button>
        {replacing ? <span className="text-muted">{name} exists; saving replaces its value.</span> : null}
      </div>
    </form>
  );
}
