import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AgentLogsCard } from '~/components/agent-logs/agent-logs-card';
import { AppShell } from '~/components/app-shell';
import { env } from '~/env';
import { agentLinks } from '~/server/links';
import { getViewer, homeFor } from '~/server/viewer';
import { TRPCReactProvider } from '~/trpc/react';
import { getServerQueryClient, HydrateClient, trpcServer } from '~/trpc/server';
import { RefetchAgentAndRunsTogether } from './_dashboard/agent-and-runs';
import { AgentCard } from './_dashboard/agent-card';
import { OwnAgentEnvCard } from './_dashboard/agent-env-card';
import { MyActivityCard } from './_dashboard/my-activity-card';
import { PreferencesCard } from './_dashboard/preferences-card';
import { PublicUrlCard } from './_dashboard/public-url-card';
import { ReadOnlyPortal } from './_dashboard/read-only-portal';
import { RunsCard } from './_dashboard/runs-card';
import { TokensCard } from './_dashboard/tokens-card';
import { UsageCard } from './_dashboard/usage-card';

export default async function DashboardPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/' || !viewer?.username) redirect(homeFor(viewer));
  const h = await headers();
  // Only the hostname proxy sets these (it strips them from what the browser sends), and only for an
  // active admin on someone else's {username}.DOMAIN; the role is checked here again all the same.
  const readOnlyOwner = h.get('x-portal-read-only') === '1' ? h.get('x-portal-owner') : null;
  if (readOnlyOwner && readOnlyOwner !== viewer.username && viewer.role === 'admin') {
    return (
      <AppShell viewer={viewer}>
        <ReadOnlyPortal ownerUsername={readOnlyOwner} />
      </AppShell>
    );
  }

  // What the cards show first is fetched here, so it is on the first paint, not after a fetch.
  const queryClient = getServerQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.agent.get.queryOptions()),
    queryClient.prefetchQuery(trpcServer.agent.metrics.queryOptions({ minutes: 60 })),
    // The timeline's runs: `timelineRunsInput` of ./_dashboard/agent-and-runs (a client module).
    queryClient.prefetchQuery(trpcServer.runs.mine.queryOptions({ limit: 5 })),
    queryClient.prefetchQuery(trpcServer.user.activity.queryOptions({ limit: 10 })),
    queryClient.prefetchQuery(trpcServer.user.usage.queryOptions({})),
    queryClient.prefetchQuery(trpcServer.user.plan.queryOptions()),
    queryClient.prefetchQuery(trpcServer.tokens.list.queryOptions()),
    queryClient.prefetchQuery(trpcServer.tokens.scopes.queryOptions()),
    queryClient.prefetchQuery(trpcServer.user.me.queryOptions()),
    queryClient.prefetchQuery(trpcServer.agent.env.list.queryOptions()),
  ]);
  const [agentNow, planNow] = await Promise.all([
    queryClient.fetchQuery(trpcServer.agent.get.queryOptions()),
    queryClient.fetchQuery(trpcServer.user.plan.queryOptions()),
  ]);
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost:3000'}`;
  const links = agentLinks(viewer.username, origin);
  const displayName = viewer.preferences.displayName || viewer.username;

  return (
    <AppShell viewer={viewer}>
      <TRPCReactProvider>
        <HydrateClient>
          <div>
            <h1 className="text-2xl font-semibold">Hello, {displayName}</h1>
            <p className="text-sm text-muted">
              Signed in as <span className="font-mono">{viewer.username}</span>
            </p>
          </div>
          {/* The agent card and the timeline are refetched together, never one without the other. */}
          <RefetchAgentAndRunsTogether />
          <AgentCard launchUrl={links.launch} />
          <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
            <RunsCard ownAdminPage={viewer.role === 'admin' ? `/admin/people/${viewer.id}` : undefined} />
            <div className="flex flex-col gap-6">
              <UsageCard />
              <PublicUrlCard
                publicUrl={links.public}
                enabled={agentNow?.publicUrlEnabled ?? false}
                hasAgent={agentNow !== null}
                plan={planNow}
              />
              <OwnAgentEnvCard />
              <PreferencesCard />
              <MyActivityCard />
            </div>
          </div>
          <AgentLogsCard source={{ kind: 'mine' }} username={viewer.username} />
          <TokensCard maxDays={env.API_TOKEN_MAX_DAYS} />
        </HydrateClient>
      </TRPCReactProvider>
    </AppShell>
  );
}
