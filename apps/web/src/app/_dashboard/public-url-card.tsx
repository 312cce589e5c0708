'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Copy } from 'lucide-react';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';

/**
 * The public-URL toggle: anyone may then open /agent/public/*; it takes effect at once. A plan that does
 * not allow it leaves the switch off and says so (the server refuses it anyway).
 */
export function PublicUrlCard({ publicUrl }: { publicUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const agent = useQuery(trpc.agent.get.queryOptions());
  const plan = useQuery(trpc.user.plan.queryOptions());
  const forbidden = plan.data?.publicUrlAllowed === false;
  const toggle = useMutation(
    trpc.agent.setPublic.mutationOptions({
      onSuccess: (a) => {
        queryClient.setQueryData(trpc.agent.get.queryKey(), a);
        toast(a.publicUrlEnabled ? 'Public URL is on.' : 'Public URL is off.');
        void queryClient.invalidateQueries({ queryKey: trpc.user.activity.queryKey() });
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const enabled = agent.data?.publicUrlEnabled ?? false;
  return (
    <Card title="Public URL">
      <div className="flex flex-col gap-3 text-sm">
        <label className="flex items-center gap-3">
          <input
            type="checkbox"
            role="switch"
            aria-checked={enabled}
            checked={enabled}
            disabled={!agent.data || toggle.isPending || (forbidden && !enabled)}
            aria-describedby={forbidden ? 'public-url-plan' : undefined}
            onChange={(e) => toggle.mutate({ enabled: e.target.checked })}
            className="h-5 w-9"
          />
          <span>Let anyone open the public part of my agent</span>
        </label>
        <div className="flex flex-wrap items-center gap-2">
          {/* Off, the address is still the one it will be: shown as it is, with its state in words. */}
          <code className="min-w-0 break-all rounded bg-bg px-2 py-1 font-mono text-xs">{publicUrl}</code>
          <span className={`text-xs ${enabled ? 'text-ok' : 'text-muted'}`}>
            {enabled ? 'Open to anyone' : 'Off: only you'}
          </span>
          <Button
            variant="secondary"
            className="px-2 py-1"
            onClick={async () => {
              await navigator.clipboard.writeText(publicUrl);
              toast('Copied.');
            }}
          >
            <Copy aria-hidden="true" className="size-4" />
            Copy
          </Button>
        </div>
        {forbidden ? (
          <p id="public-url-plan" className="text-warn">
            Your plan, {plan.data?.name}, does not include a public URL. Ask an admin if you need one.
          </p>
        ) : null}
        <p className="text-muted">Only paths under /agent/public/ are shared; everything else stays yours.</p>
      </div>
    </Card>
  );
}
