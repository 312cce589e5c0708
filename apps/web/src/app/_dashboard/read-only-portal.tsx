import { findPersonByUsername } from '@pocket-smyth/core';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActivityList } from '~/components/activity-list';
import { RunTimelines } from '~/components/run-timeline';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { db } from '~/server/db';

/**
 * What an admin sees on someone else's `{username}.DOMAIN` (docs/ARCHITECTURE.md, "Hostnames": admins may view it read-only).
 * Rendered on the server from the admin procedures, so every read is checked and audited like any
 * other admin read, and nothing here can change the person's agent: no launch (the agent stays its
 * owner's alone), no restart, no public toggle, no tokens.
 */
export async function ReadOnlyPortal({ ownerUsername }: { ownerUsername: string }) {
  const owner = await findPersonByUsername(db, ownerUsername);
  if (!owner) notFound();
  const caller = await serverCaller();
  const [{ person, agent }, activity] = await Promise.all([
    caller.admin.users.get({ id: owner.id }),
    // As on their admin page: their agent's, runs' and tokens' events too.
    caller.admin.activity.list({ aboutPerson: owner.id, limit: 10 }),
  ]);
  const runs = agent ? await caller.admin.runs.list({ agentId: agent.id, limit: 5 }) : [];
  const name = person.name || person.username || person.email;

  return (
    <>
      <div
        role="note"
        className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-warn bg-surface px-4 py-3 text-sm"
      >
        <span>
          You are viewing <span className="font-mono">{person.username}</span>’s portal as an admin. It is
          read-only.
        </span>
        <Link href={`/admin/people/${person.id}`} className="font-medium text-accent underline">
          Manage in the admin panel
        </Link>
      </div>
      <div>
        <h1 className="text-2xl font-semibold">{name}’s portal</h1>
        <p className="text-sm text-muted">
          <span className="font-mono">{person.username}</span> · {person.email} ·{' '}
          <StatusBadge status={person.status} />
        </p>
      </div>
      <Card title="Agent">
        {agent ? (
          <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-muted">State</dt>
              <dd className="mt-1" data-testid="read-only-agent-state">
                <StatusBadge status={agent.observedState} />
              </dd>
            </div>
            <div>
              <dt className="text-muted">Since</dt>
              <dd className="mt-1">
                <TimeAgo date={agent.observedAt} />
              </dd>
            </div>
            <div>
              <dt className="text-muted">Public URL</dt>
              <dd className="mt-1">{agent.publicUrlEnabled ? 'On' : 'Off'}</dd>
            </div>
          </dl>
        ) : (
          <p className="text-sm text-muted">No agent has been created for this person.</p>
        )}
      </Card>
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <Card title="Provisioning timeline">
          {runs.length === 0 ? (
            <p className="text-sm text-muted">No runs yet.</p>
          ) : (
            <div className="flex flex-col gap-3">
              <RunTimelines runs={runs} />
            </div>
          )}
        </Card>
        <Card title="Their activity">
          <ActivityList events={activity.items} />
        </Card>
      </div>
    </>
  );
}
