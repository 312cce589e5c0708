import type { RouterOutputs } from '@pocket-smyth/api';
import Link from 'next/link';
import { ActivityList } from '~/components/activity-list';
import { AgentEnvCard } from '~/components/agent-env/agent-env-card';
import { AgentLogsCard } from '~/components/agent-logs/agent-logs-card';
import { RunTimelines } from '~/components/run-timeline';
import { Badge, StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { TimeAgo } from '~/components/ui/time';
import { UsageSummary } from '~/components/usage/usage-summary';
import { deletePersonEnv, setPersonEnv } from './actions';
import { AgentImageForm } from './agent-image-form';
import { noAgentWords } from './no-agent-words';
import { PersonActions } from './person-actions';
import { PersonPlanForm } from './person-plan-form';
import { QuotaCard } from './quota-card';
import { RetryButton } from './retry-button';

type Outputs = RouterOutputs['admin'];

/** What the page reads on the server for PersonDetail, each re-render. */
export interface PersonData {
  detail: Outputs['users']['get'];
  hostName: string | null;
  runs: Outputs['runs']['list'];
  activity: Outputs['activity']['list']['items'];
  vars: Outputs['users']['env']['list'];
  plans: { id: string; name: string; archived: boolean }[];
  usage: Outputs['users']['usage'];
  quota: Outputs['users']['quota'];
}

/**
 * A person's page: profile, agent, runs with steps and output (retry a failed one), activity, actions.
 * Rendered on the server; the forms and buttons are islands. `isSelf` when the admin is looking at
 * themselves: the server refuses revoking or deleting oneself, so those are not offered. `portalHref`:
 * where to read their portal as they see it (read-only).
 */
export function PersonDetail({
  data,
  isSelf,
  portalHref,
}: {
  data: PersonData;
  isSelf: boolean;
  portalHref?: string | undefined;
}) {
  const { person, agent } = data.detail;
  const id = person.id;
  const runs = data.runs;
  const newestFailed = runs[0]?.status === 'failed' ? runs[0].id : null;
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">
          {person.username ?? person.email} <StatusBadge status={person.status} />{' '}
          {person.role === 'admin' ? <Badge tone="accent">admin</Badge> : null}
        </h1>
        <div className="flex flex-wrap items-center gap-2">
          {portalHref ? (
            <a href={portalHref} className="text-sm font-medium text-accent underline">
              View their portal
            </a>
          ) : null}
          {isSelf ? (
            <p className="text-sm text-muted">
              This is you: another admin can revoke or delete your account.
            </p>
          ) : null}
          <PersonActions
            id={id}
            status={person.status}
            isSelf={isSelf}
            confirmWord={person.username ?? person.email}
          />
        </div>
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Profile">
          <dl className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
            <dt className="text-muted">Email</dt>
            <dd>{person.email}</dd>
            <dt className="text-muted">Display name</dt>
            <dd>{person.preferences.displayName ?? '—'}</dd>
            <dt className="text-muted">Time zone</dt>
            <dd>{person.preferences.timeZone ?? '—'}</dd>
            <dt className="text-muted">Plan</dt>
            <dd>
              <PersonPlanForm personId={id} planId={person.planId} plans={data.plans} />
            </dd>
            <dt className="text-muted">Joined</dt>
            <dd>
              <TimeAgo date={person.createdAt} />
            </dd>
            {person.statusReason ? (
              <>
                <dt className="text-muted">Reason</dt>
                <dd>{person.statusReason}</dd>
              </>
            ) : null}
          </dl>
        </Card>
        <Card title="Agent">
          {agent ? (
            <dl className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
              <dt className="text-muted">State</dt>
              <dd>
                <StatusBadge status={agent.observedState} /> since <TimeAgo date={agent.observedAt} />
              </dd>
              <dt className="text-muted">Wanted</dt>
              <dd>
                <StatusBadge status={agent.desiredState} />
              </dd>
              <dt className="text-muted">Host</dt>
              <dd>
                {agent.hostId ? (
                  <Link href="/admin/hosts" className="underline">
                    {data.hostName ?? agent.hostId}
                  </Link>
                ) : (
                  'not placed'
                )}
              </dd>
              <dt className="text-muted">Public URL</dt>
              <dd>{agent.publicUrlEnabled ? 'on' : 'off'}</dd>
              <dt className="text-muted">Image</dt>
              <dd className="break-all" data-testid="agent-running-image">
                {agent.runningImage ? <code>{agent.runningImage}</code> : 'the default'}
                {agent.imageOverride ? ' (their own)' : ''}
              </dd>
            </dl>
          ) : (
            <p className="text-sm text-muted">{noAgentWords(person.status)}</p>
          )}
          {agent && agent.desiredState !== 'absent' ? (
            <AgentImageForm
              key={agent.imageOverride ?? ''}
              personId={id}
              imageOverride={agent.imageOverride}
            />
          ) : null}
        </Card>
      </div>
      <AgentEnvCard
        vars={data.vars}
        whose={`${person.username ?? person.email}’s agent`}
        setAction={setPersonEnv.bind(null, id)}
        removeAction={deletePersonEnv.bind(null, id)}
      />
      <Card title="Runs">
        {!agent ? (
          <p className="text-sm text-muted">No runs.</p>
        ) : !runs.length ? (
          <p className="text-sm text-muted">No runs yet.</p>
        ) : (
          <div className="flex flex-col gap-3">
            <RunTimelines
              runs={runs}
              actionsFor={(run) => (run.id === newestFailed ? <RetryButton runId={run.id} /> : null)}
            />
          </div>
        )}
      </Card>
      {agent && person.username ? (
        <AgentLogsCard source={{ kind: 'person', personId: id }} username={person.username} />
      ) : null}
      <Card title="Usage this month">
        <UsageSummary usage={data.usage} />
      </Card>
      <QuotaCard personId={id} quota={data.quota} />
      <Card title="Activity">
        <ActivityList events={data.activity} />
      </Card>
    </>
  );
}
