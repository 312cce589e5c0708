import { findAgentByPersonId } from '@pocket-smyth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AppHeader } from '~/components/app-header';
import { db } from '~/server/db';
import { agentLinks } from '~/server/links';
import { getViewer, homeFor } from '~/server/viewer';
import { AgentCard } from './_dashboard/agent-card';
import { MyActivityCard } from './_dashboard/my-activity-card';
import { PublicUrlCard } from './_dashboard/public-url-card';
import { RunsCard } from './_dashboard/runs-card';
import { TokensCard } from './_dashboard/tokens-card';

export default async function DashboardPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/' || !viewer?.username) redirect(homeFor(viewer));
  // The agent is read on the server so its state is on the first paint, not after a fetch.
  const agent = (await findAgentByPersonId(db, viewer.id)) ?? null;
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost:3000'}`;
  const links = agentLinks(viewer.username, origin);
  const displayName = viewer.preferences.displayName || viewer.username;

  return (
    <>
      <AppHeader email={viewer.email} isAdmin={viewer.role === 'admin'} />
      <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8">
        <div>
          <h1 className="text-2xl font-semibold">Hello, {displayName}</h1>
          <p className="text-sm text-muted">
            Signed in as <span className="font-mono">{viewer.username}</span>
          </p>
        </div>
        <AgentCard initial={agent} launchUrl={links.launch} />
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <RunsCard />
          <div className="flex flex-col gap-6">
            <PublicUrlCard publicUrl={links.public} />
            <MyActivityCard />
          </div>
        </div>
        <TokensCard />
      </main>
    </>
  );
}
