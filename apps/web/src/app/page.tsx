import { findAgentByPersonId } from '@pocket-smyth/api';
import { redirect } from 'next/navigation';
import { AppHeader } from '~/components/app-header';
import { formatDateTime } from '~/components/format';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { db } from '~/server/db';
import { getViewer, homeFor } from '~/server/viewer';

export default async function DashboardPage() {
  const viewer = await getViewer();
  if (homeFor(viewer) !== '/' || !viewer) redirect(homeFor(viewer));
  const agent = await findAgentByPersonId(db, viewer.id);
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
        <Card title="Your agent">
          {agent ? (
            <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-3">
              <div>
                <dt className="text-muted">State</dt>
                <dd className="mt-1" data-testid="agent-observed-state">
                  <StatusBadge status={agent.observedState} />
                </dd>
              </div>
              <div>
                <dt className="text-muted">Wanted</dt>
                <dd className="mt-1" data-testid="agent-desired-state">
                  <StatusBadge status={agent.desiredState} />
                </dd>
              </div>
              <div>
                <dt className="text-muted">Since</dt>
                <dd className="mt-1">{formatDateTime(agent.observedAt)}</dd>
              </div>
            </dl>
          ) : (
            <p className="text-sm text-muted">Your agent has not been created yet.</p>
          )}
        </Card>
      </main>
    </>
  );
}
