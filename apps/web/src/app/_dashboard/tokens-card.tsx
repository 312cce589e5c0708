'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Ban, Copy, KeyRound, Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Badge, StatusBadge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { ConfirmDialog, Dialog } from '~/components/ui/dialog';
import { EmptyState } from '~/components/ui/empty-state';
import { Field } from '~/components/ui/field';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

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
    hint: 'Also restart it and turn its public URL on or off.',
  },
] as const;

function presetOf(chosen: ReadonlySet<string>): string {
  const match = SCOPE_PRESETS.find(
    (p) => p.scopes.length === chosen.size && p.scopes.every((s) => chosen.has(s)),
  );
  return match?.id ?? 'custom';
}

/**
 * Personal API tokens: create with scopes and expiry (the secret is shown once), list, revoke (after a
 * confirmation: scripts using it stop at once). `maxDays` is the longest lifetime the server accepts.
 */
export function TokensCard({ maxDays }: { maxDays: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const scopes = useQuery(trpc.tokens.scopes.queryOptions());
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set(SCOPE_PRESETS[0].scopes));
  const expiries = expiryChoices(maxDays);
  const [days, setDays] = useState(Math.min(90, maxDays));
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  // Creating and revoking are in the person's activity too.
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.user.activity.queryKey() }),
    ]);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (r) => {
        setSecret(r.secret);
        setCreating(false);
        setName('');
        void refresh();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: (t) => {
        toast(`Revoked “${t.name}”.`);
        void refresh();
      },
      onError: (e) => toast(e.message, 'error'),
      onSettled: () => setRevoking(null),
    }),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name, scopes: [...chosen] as never, expiresInDays: days });
  }

  return (
    <Card
      title="API tokens"
      actions={
        <Button variant="secondary" onClick={() => setCreating(true)}>
          <Plus aria-hidden="true" className="size-4" />
          New token
        </Button>
      }
    >
      {secret ? (
        <div role="status" className="mb-4 rounded-md border border-ok/40 bg-ok/10 p-3 text-sm">
          <p className="font-medium">Copy your new token now. It will not be shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="new-token-secret"
              className="break-all rounded bg-bg px-2 py-1 font-mono text-xs"
            >
              {secret}
            </code>
            <Button
              variant="secondary"
              className="px-2 py-1"
              onClick={async () => {
                await navigator.clipboard.writeText(secret);
                toast('Copied.');
              }}
            >
              <Copy aria-hidden="true" className="size-4" />
              Copy
            </Button>
            <Button variant="ghost" className="px-2 py-1" onClick={() => setSecret(null)}>
              Done
            </Button>
          </div>
        </div>
      ) : null}
      {tokens.isLoading ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : !tokens.data?.length ? (
        <EmptyState icon={KeyRound}>
          No tokens. Create one to use the API from scripts: see /api/docs.
        </EmptyState>
      ) : (
        <ScrollArea label="API tokens">
          <table className="stack-table w-full text-left text-sm">
            <thead className="text-muted">
              <tr>
                <th className="py-2 pr-3 font-medium">Name</th>
                <th className="py-2 pr-3 font-medium">Scopes</th>
                <th className="py-2 pr-3 font-medium">Last used</th>
                <th className="py-2 pr-3 font-medium">Expires</th>
                <th className="py-2" />
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id} className="border-t border-border align-top">
                  <td data-label="Name" className="py-2 pr-3">
                    {t.name}
                    <div className="font-mono text-xs text-muted">{t.prefix}…</div>
                  </td>
                  <td data-label="Scopes" className="py-2 pr-3">
                    <div className="flex flex-wrap gap-1">
                      {t.scopes.map((s) => (
                        <Badge key={s}>{s}</Badge>
                      ))}
                    </div>
                  </td>
                  <td data-label="Last used" className="py-2 pr-3">
                    {t.lastUsedAt ? (
                      <>
                        <TimeAgo date={t.lastUsedAt} /> from {t.lastUsedIp ?? '?'}
                      </>
                    ) : (
                      'never'
                    )}
                  </td>
                  <td data-label="Expires" className="py-2 pr-3">
                    {t.revokedAt ? <StatusBadge status="revoked" /> : <TimeAgo date={t.expiresAt} />}
                  </td>
                  <td className="py-2 text-right">
                    {t.revokedAt ? null : (
                      <Button
                        variant="ghost"
                        className="px-2 py-1"
                        onClick={() => setRevoking({ id: t.id, name: t.name })}
                      >
                        <Ban aria-hidden="true" className="size-4" />
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
      <Dialog open={creating} onClose={() => setCreating(false)} title="New API token">
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
            {scopes.data?.map((s) => (
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
            <Button variant="secondary" onClick={() => setCreating(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!name.trim() || chosen.size === 0 || create.isPending}>
              Create token
            </Button>
          </div>
        </form>
      </Dialog>
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        pendingLabel="Revoking…"
        pending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        tone="danger"
      >
        Anything using this token is refused from now on. This cannot be undone; make a new token to give
        access again.
      </ConfirmDialog>
    </Card>
  );
}
