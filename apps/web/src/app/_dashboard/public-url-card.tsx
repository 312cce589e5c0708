import { CopyButton } from '~/components/copy-button';
import { Copy } from '~/components/icons';
import { Card } from '~/components/ui/card';
import { PublicUrlSwitch } from './public-url-switch';

/**
 * The public-URL toggle: anyone may then open /agent/public/*; it takes effect at once. A plan that does
 * not allow it leaves the switch off and says so (the server refuses it anyway). Rendered on the
 * server; only the switch and the copy button run in the browser.
 */
export function PublicUrlCard({
  publicUrl,
  enabled,
  hasAgent,
  plan,
}: {
  publicUrl: string;
  enabled: boolean;
  hasAgent: boolean;
  plan: { name: string; publicUrlAllowed: boolean };
}) {
  const forbidden = !plan.publicUrlAllowed;
  return (
    <Card title="Public URL">
      <div className="flex flex-col gap-3 text-sm">
        <PublicUrlSwitch
          enabled={enabled}
          disabled={!hasAgent || (forbidden && !enabled)}
          describedBy={forbidden ? 'public-url-plan' : undefined}
        />
        <div className="flex flex-wrap items-center gap-2">
          {/* Off, the address is still the one it will be: shown as it is, with its state in words. */}
          <code className="min-w-0 break-all rounded bg-bg px-2 py-1 font-mono text-xs">{publicUrl}</code>
          <span className={`text-xs ${enabled ? 'text-ok' : 'text-muted'}`}>
            {enabled ? 'Open to anyone' : 'Off: only you'}
          </span>
          <CopyButton text={publicUrl} icon={<Copy aria-hidden="true" className="size-4" />} />
        </div>
        {forbidden ? (
          <p id="public-url-plan" className="text-warn">
            Your plan, {plan.name}, does not include a public URL. Ask an admin if you need one.
          </p>
        ) : null}
        <p className="text-muted">Only paths under /agent/public/ are shared; everything else stays yours.</p>
      </div>
    </Card>
  );
}
