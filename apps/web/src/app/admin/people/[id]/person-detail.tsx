'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ActivityList } from '~/components/activity-list';
import { AgentLogsCard } from '~/components/agent-logs/agent-logs-card';
import { RunTimelines } from '~/components/run-timeline';
import { Badge, StatusBadge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Dialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { TimeAgo } from '~/components/ui/time';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';
import { PersonAgentEnvCard } from './agent-env-card';
import { AgentImageForm } from './agent-image-form';
import { noAgentWords } from './no-agent-words';
import { PersonPlanForm } from './person-plan-form';
import { PersonUsageCard } from './person-usage-card';
import { QuotaCard } from './quota-card';

/**
 * A person's page: profile, agent, runs with steps and output (retry a failed one), activity, actions.
 * `isSelf` when the admin is looking at themselves: the server refuses revoking or deleting oneself, so
 * those are not offered. `portalHref`: where to read their portal as they see it (read-only).
 */
export function PersonDetail({
  id,
  isSelf,
  portalHref,
}: {
  id: string;
  isSelf: boolean;
  portalHref?: string | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const [dialog, setDialog] = useState<null | 'revoke' | 'delete'>(null);
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState('');
  // Polled like the dashboard's agent, so a retried run's effect on the agent shows without a reload.
  const detail = useQuery({ ...trpc.admin.users.get.queryOptions({ id }), refetchInterval: 5_000 });
  const hosts = useQuery(trpc.admin.hosts.list.queryOptions());
  const agentId = detail.data?.agent?.id;
  const runs = useQuery({
    ...trpc.admin.runs.list.queryOptions({ agentId, limit: 10 }),
    enabled: Boolean(agentId),
    refetchInterval: (q) =>
      q.state.data?.some((r) => r.status === 'queued' || r.status === 'running') ? 2_000 : 15_000,
  });
  const activity = useQuery(trpc.admin.activity.list.queryOptions({ aboutPerson: id, limit: 20 }));
  const refresh = () => queryClient.invalidateQueries();
  const onError = (e: { message: string }) => toast(e.message, 'error');
  const revoke = useMutation(
    trpc.admin.users.revoke.mutationOptions({
      onSuccess: () => {
        toast('Access revoked; they are signed out everywhere.');
        setDialog(null);
        void refresh();
      },
      onError,
    }),
  );
  const restore = useMutation(
    trpc.admin.users.restore.mutationOptions({
      onSuccess: () => {
        toast('Access restored.');
        void refresh();
      },
      onError,
    }),
  );
  const remove = useMutation(
    trpc.admin.users.delete.mutationOptions({
      onSuccess: () => {
        toast('Deleted. Their agent is being removed.');
        router.push('/admin/people');
      },
      onError,
    }),
  );
  const retry = useMutation(
    trpc.admin.runs.retry.mutationOptions({
      onSuccess: () => {
        toast('Retrying from the failed step.');
        void refresh();
      },
      onError,
    }),
  );

  if (detail.isLoading) return <p className="text-sm text-muted">Loading…</p>;
  if (detail.error) {
    return (
      <p role="alert" className="text-danger">
        {detail.error.message}
      </p>
    );
  }
  const { person, agent } = detail.data!;
  const confirmWord = person.username ?? person.email;
  const newestFailed = runs.data?.[0]?.status === 'failed' ? runs.data[0].id : null;

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
          {person.status === 'active' && !isSelf ? (
            <Button variant="secondary" onClick={() => setDialog('revoke')}>
              Revoke
            </Button>
          ) : null}
          {person.status === 'revoked' ? (
            <Button variant="secondary" onClick={() => restore.mutate({ id })}>
              Restore
            </Button>
          ) : null}
          {isSelf ? null : (
            <Button variant="danger" onClick={() => setDialog('delete')}>
              Delete
            </Button>
          )}
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
              <PersonPlanForm personId={person.id} planId={person.planId} />
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
                    {hosts.data?.find((h) => h.id === agent.hostId)?.name ?? agent.hostId}
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
      <PersonAgentEnvCard id={id} username={person.username ?? person.email} />
      <Card title="Runs">
        {!agent ? (
          <p className="text-sm text-muted">No runs.</p>
        ) : runs.isLoading ? (
          <p className="text-sm text-muted">Loading…</p>
        ) : !runs.data?.length ? (
          <p className="text-sm text-muted">No runs yet.</p>
        ) : (
          <div className="flex flex-col gap-3">
            <RunTimelines
              runs={runs.data}
              actionsFor={(run) =>
                run.id === newestFailed ? (
                  <Button
                    className="px-2 py-1"
                    onClick={() => retry.mutate({ id: run.id })}
                    disabled={retry.isPending}
                  >
                    Retry from failed step
                  </Button>
                ) : null
              }
            />
          </div>
        )}
      </Card>
      {agent && person.username ? (
        <AgentLogsCard source={{ kind: 'person', personId: id }} username={person.username} />
      ) : null}
      <PersonUsageCard id={id} />
      <QuotaCard personId={id} />
      <Card title="Activity">
        <ActivityList events={activity.data?.items ?? []} />
      </Card>
      <Dialog open={dialog === 'revoke'} onClose={() => setDialog(null)} title={`Revoke ${confirmWord}?`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            revoke.mutate({ id, reason });
          }}
          className="flex flex-col gap-4"
        >
          <p className="text-sm text-muted">
            They are signed out, their tokens stop working and their agent stops. Data is kept.
          </p>
          <Field
            id="revoke-reason"
            label="Reason"
            hint="They see it."
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setDialog(null)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={!reason.trim() || revoke.isPending}>
              Revoke access
            </Button>
          </div>
        </form>
      </Dialog>
      <Dialog open={dialog === 'delete'} onClose={() => setDialog(null)} title={`Delete ${confirmWord}?`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            remove.mutate({ id, confirm });
          }}
          className="flex flex-col gap-4"
        >
          <p className="text-sm text-muted">
            Their account and agent (container and data) are removed. The activity log keeps what happened.
            This cannot be undone.
          </p>
          <Field
            id="delete-confirm"
            label={`Type “${confirmWord}” to confirm`}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            autoComplete="off"
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setDialog(null)}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant="danger"
              disabled={confirm.trim().toLowerCase() !== confirmWord.toLowerCase() || remove.isPending}
            >
              Delete for good
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
