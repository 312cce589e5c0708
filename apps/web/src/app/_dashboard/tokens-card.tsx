'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Ban, Copy, KeyRound, Plus } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { Badge, StatusBadge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { ConfirmDialog } from '~/components/ui/dialog';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

const NewTokenDialog = lazy(() => import('./new-token-dialog'));

/**
 * Personal API tokens: create with scopes and expiry (the secret is shown once), list, revoke (after a
 * confirmation: scripts using it stop at once). `maxDays` is the longest lifetime the server accepts.
 */
export function TokensCard({ maxDays }: { maxDays: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const [creating, setCreating] = useState(false);
  // Once opened, the dialog stays mounted, so closing it is the native <dialog>'s own (focus returns).
  const [opened, setOpened] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  // Creating and revoking are in the person's activity too.
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.user.activity.queryKey() }),
    ]);
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

  return (
    <Card
      title="API tokens"
      actions={
        <Button
          variant="secondary"
          onClick={() => {
            setOpened(true);
            setCreating(true);
          }}
        >
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
      {/* The form's code is fetched when it is first opened, not with the page (`pnpm bench pages`). */}
      {opened ? (
        <Suspense fallback={null}>
          <NewTokenDialog
            open={creating}
            onClose={() => setCreating(false)}
            maxDays={maxDays}
            onCreated={(newSecret) => {
              setSecret(newSecret);
              setCreating(false);
              void refresh();
            }}
          />
        </Suspense>
      ) : null}
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
