import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AgentEnvCard } from '~/components/agent-env/agent-env-card';
import { AgentLogsCard } from '~/components/agent-logs/agent-logs-card';
import { AppShell } from '~/components/app-shell';
import { RefreshEvery } from '~/components/refresh-every';
import { env } from '~/env';
import { serverCaller } from '~/server/caller';
import { agentLinks } from '~/server/links';
import { getViewer, homeFor } from '~/server/viewer';
import { deleteAgentEnv, setAgentEnv } from './_dashboard/actions';
import { isMoving, MOVING_POLL_MS, SETTLED_POLL_MS, timelineRunsInput } from './_dashboard/agent-and-runs';
import { AgentCard } from './_dashboard/agent-card';
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

  // Everything the cards show is read here, in-process, and re-read by `RefreshEvery` and after
  // each action: the browser gets HTML and the few islands that take input (docs/ARCHITECTURE.md).
  const api = await serverCaller();
  const [agent, metrics, runs, activity, usage, plan, tokens, scopes, envVars] = await Promise.all([
    api.agent.get(),
    api.agent.metrics({ minutes: 60 }),
    api.runs.mine(timelineRunsInput),
    api.user.activity({ limit: 10 }),
    api.user.usage({}),
    api.user.plan(),
    api.tokens.list(),
    api.tokens.scopes(),
    api.agent.env.list(),
  ]);
  const links = await agentLinks(viewer.username);
  const displayName = viewer.preferences.displayName || viewer.username;

  return (
    <AppShell viewer={viewer}>
      <div>
        <h1 className="text-2xl font-semibold">Hello, {displayName}</h1>
        <p className="text-sm text-muted">
          Signed in as <span className="font-mono">{viewer.username}</span>
        </p>
      </div>
      {/* The agent card and the timeline are read in the same render, so they never disagree; closely
          while a run moves the agent, so no step is missed. */}
      <RefreshEvery ms={isMoving(agent, runs) ? MOVING_POLL_MS : SETTLED_POLL_MS} />
      <AgentCard launchUrl={links.launch} agent={agent} samples={metrics.samples} />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <RunsCard
          runs={runs}
          ownAdminPage={viewer.role === 'admin' ? `/admin/people/${viewer.id}` : undefined}
        />
        <div className="flex flex-col gap-6">
          <UsageCard usage={usage} />
          <PublicUrlCard
            publicUrl={links.public}
            enabled={agent?.publicUrlEnabled ?? false}
            hasAgent={agent !== null}
            plan={plan}
          />
          <AgentEnvCard
            vars={envVars}
            whose="your agent"
            setAction={setAgentEnv}
            removeAction={deleteAgentEnv}
          />
          <PreferencesCard stored={viewer.preferences} />
          <MyActivityCard activity={activity} />
        </div>
      </div>
      <AgentLogsCard source={{ kind: 'mine' }} username={viewer.username} />
      <TokensCard maxDays={env.API_TOKEN_MAX_DAYS} tokens={tokens} scopes={scopes} />
    </AppShell>
  );
}
