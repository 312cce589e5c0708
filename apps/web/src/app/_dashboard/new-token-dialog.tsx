'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { createToken } from './actions';

/** The lifetimes offered, cut at the operator's limit (API_TOKEN_MAX_DAYS), which is offered itself. */
function expiryChoices(maxDays: number): number[] {
  const under = [7, 30, 90, 365].filter((days) => days < maxDays);
  return [...under, maxDays];
}

/**
 * Ready-made scope sets, so a token that reads or runs one's agent takes one click. Choosing scopes by
 * hand makes it "Custom". The default reads everything of one's own, `GET /api/me/agent` included.
 */
const SCOPE_PRESETS = [
  { id: 'read', label: 'Read my things', scopes: ['me:read', 'agent:read', 'tokens:read'] },
  {
    id: 'agent',
    label: 'Manage my agent',
    scopes: ['me:read', 'agent:read', 'agent:write'],
    hint: 'Also start, stop and restart it and turn its public URL on or off.',
  },
] as const;

function presetOf(chosen: ReadonlySet<string>): string {
  const match = SCOPE_PRESETS.find(
    (p) => p.scopes.length === chosen.size && p.scopes.every((s) => chosen.has(s)),
  );
  return match?.id ?? 'custom';
}

/**
 * Creating a personal API token: name, scopes (a preset or by hand) and lifetime. Loaded by the tokens
 * card when it is first opened (a default export, for React.lazy), so its code is not in the page's
 * first load. `onCreated` gets the secret, which is shown once.
 */
export default function NewTokenDialog({
  open,
  onClose,
  maxDays,
  scopes,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  maxDays: number;
  /** The scopes a token may have, with what each allows (tokens.scopes, read by the page). */
  scopes: readonly { scope: string; description: string }[];
  onCreated: (secret: string) => void;
}) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set(SCOPE_PRESETS[0].scopes));
  const expiries = expiryChoices(maxDays);
  const [days, setDays] = useState(Math.min(90, maxDays));
  const create = useAction(createToken);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = await create.run({ name, scopes: [...chosen] as never, expiresInDays: days });
    if (!answer.ok) return toast(answer.error, 'error');
    setName('');
    onCreated(answer.data);
  }

  return (
    <Dialog open={open} onClose={onClose} title="New API token">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <Field
          id="token-name"
          label="Name"
          hint="What will use it, e.g. “CI deploy”."
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
        />
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="mb-1 font-medium">What it may do</legend>
          {SCOPE_PRESETS.map((preset) => (
            <label key={preset.id} className="flex items-start gap-2">
              <input
                type="radio"
                name="scope-preset"
                checked={presetOf(chosen) === preset.id}
                onChange={() => setChosen(new Set(preset.scopes))}
              />
              <span>
                {preset.label}
                <span className="block text-muted">
                  {'hint' in preset ? preset.hint : 'Your profile, your agent and its runs, your tokens.'}
                </span>
              </span>
            </label>
          ))}
          <label className="flex items-start gap-2">
            <input type="radio" name="scope-preset" checked={presetOf(chosen) === 'custom'} readOnly />
            <span>
              Custom
              <span className="block text-muted">Pick the scopes below.</span>
            </span>
          </label>
        </fieldset>
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="mb-1 font-medium">Scopes</legend>
          {scopes.map((s) => (
            <label key={s.scope} className="flex items-start gap-2">
              <input
                type="checkbox"
                checked={chosen.has(s.scope)}
                onChange={(e) =>
                  setChosen((c) => {
                    const next = new Set(c);
                    if (e.target.checked) next.add(s.scope);
                    else next.delete(s.scope);
                    return next;
                  })
                }
              />
              <span>
                <code className="font-mono text-xs">{s.scope}</code>
                <span className="block text-muted">{s.description}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label className="flex items-center gap-2 text-sm">
          Expires in
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          >
            {expiries.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={!name.trim() || chosen.size === 0 || create.pending}>
            Create token
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
