import type { RouterOutputs } from '@pocket-smyth/api';
import { Ban, Copy, KeyRound, Plus } from '~/components/icons';
import { Badge, StatusBadge } from '~/components/ui/badge';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { RevokeTokenButton, TokensCardFrame } from './tokens-islands';

/**
 * Personal API tokens: create with scopes and expiry (the secret is shown once), list, revoke (after a
 * confirmation: scripts using it stop at once). `maxDays` is the longest lifetime the server accepts.
 * The list is rendered on the server; the "New token" button with the secret it shows, and each revoke
 * button, run in the browser.
 */
export function TokensCard({
  maxDays,
  tokens,
  scopes,
}: {
  maxDays: number;
  tokens: RouterOutputs['tokens']['list'];
  scopes: RouterOutputs['tokens']['scopes'];
}) {
  return (
    <TokensCardFrame
      maxDays={maxDays}
      scopes={scopes}
      icons={{
        add: <Plus aria-hidden="true" className="size-4" />,
        copy: <Copy aria-hidden="true" className="size-4" />,
      }}
    >
      {!tokens.length ? (
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
              {tokens.map((t) => (
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
                      <RevokeTokenButton
                        id={t.id}
                        name={t.name}
                        icon={<Ban aria-hidden="true" className="size-4" />}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </TokensCardFrame>
  );
}
