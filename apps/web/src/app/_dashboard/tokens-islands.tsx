'use client';

import { lazy, type ReactNode, Suspense, useState } from 'react';
import { CopyButton } from '~/components/copy-button';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { ConfirmOnDemand } from '~/components/ui/confirm-on-demand';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { revokeToken } from './actions';

const NewTokenDialog = lazy(() => import('./new-token-dialog'));

/**
 * The tokens card's frame: its "New token" button, the new secret (shown once, so kept only here) and
 * the dialog, around the list the server rendered (`children`). Icons come from the server card.
 */
export function TokensCardFrame({
  maxDays,
  scopes,
  icons,
  children,
}: {
  maxDays: number;
  scopes: readonly { scope: string; description: string }[];
  icons: { add: ReactNode; copy: ReactNode };
  children: ReactNode;
}) {
  const [creating, setCreating] = useState(false);
  // Once opened, the dialog stays mounted, so closing it is the native <dialog>'s own (focus returns).
  const [opened, setOpened] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
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
          {icons.add}
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
            <CopyButton text={secret} icon={icons.copy} />
            <Button variant="ghost" className="px-2 py-1" onClick={() => setSecret(null)}>
              Done
            </Button>
          </div>
        </div>
      ) : null}
      {children}
      {/* The form's code is fetched when it is first opened, not with the page (`pnpm bench pages`). */}
      {opened ? (
        <Suspense fallback={null}>
          <NewTokenDialog
            open={creating}
            onClose={() => setCreating(false)}
            maxDays={maxDays}
            scopes={scopes}
            onCreated={(newSecret) => {
              setSecret(newSecret);
              setCreating(false);
            }}
          />
        </Suspense>
      ) : null}
    </Card>
  );
}

/** One token's "Revoke", after a confirmation. */
export function RevokeTokenButton({ id, name, icon }: { id: string; name: string; icon: ReactNode }) {
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const revoke = useAction(revokeToken);
  return (
    <>
      <Button variant="ghost" className="px-2 py-1" onClick={() => setConfirming(true)}>
        {icon}
        Revoke
      </Button>
      <ConfirmOnDemand
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Revoke “${name}”?`}
        confirmLabel="Revoke token"
        pendingLabel="Revoking…"
        pending={revoke.pending}
        onConfirm={async () => {
          const answer = await revoke.run({ id });
          if (answer.ok) toast(`Revoked “${answer.data}”.`);
          else toast(answer.error, 'error');
          setConfirming(false);
        }}
        tone="danger"
      >
        Anything using this token is refused from now on. This cannot be undone; make a new token to give
        access again.
      </ConfirmOnDemand>
    </>
  );
}
