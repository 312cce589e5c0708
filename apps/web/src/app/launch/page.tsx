import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AppShell } from '~/components/app-shell';
import { ArrowLeft, ExternalLink } from '~/components/icons';
import { agentLinks } from '~/server/links';
import { getViewer, homeFor } from '~/server/viewer';

export const metadata: Metadata = { title: 'Your agent' };

/**
 * The agent inside the portal (docs/ARCHITECTURE.md, "Hostnames"): the portal's header, a thin bar
 * back to the dashboard and out to a tab of its own, and the agent in a frame filling the rest. The
 * frame is the agent's own origin-relative path on this same host, `/agent/`, so only this portal may
 * frame it (`frame-ancestors 'self'` on the agent's answers) and no portal cookie is involved beyond
 * what the agent proxy already strips.
 */
export default async function LaunchPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/' || !viewer?.username) redirect(homeFor(viewer));
  const { launch } = await agentLinks(viewer.username);
  return (
    <div className="flex h-dvh flex-col">
      <AppShell viewer={viewer} fullBleed>
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-4 py-2 text-sm">
          <Link href="/" className="inline-flex items-center gap-1.5 text-accent hover:underline">
            <ArrowLeft aria-hidden="true" className="size-4" />
            Dashboard
          </Link>
          <span className="font-mono text-muted">{viewer.username}’s agent</span>
          <a
            href={launch}
            target="_blank"
            rel="noreferrer"
            className="inline-flex items-center gap-1.5 text-accent hover:underline"
          >
            <ExternalLink aria-hidden="true" className="size-4" />
            Open in a new tab
          </a>
        </div>
        <iframe
          src={launch}
          title={`${viewer.username}’s agent`}
          className="min-h-0 w-full flex-1 border-0 bg-surface"
        />
      </AppShell>
    </div>
  );
}
