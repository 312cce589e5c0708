import type { RouterOutputs } from '@pocket-smyth/api';
import type { Metadata } from 'next';
import Link from 'next/link';
import { PackageOpen } from '~/components/icons';
import { RefreshEvery } from '~/components/refresh-every';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { TimeAgo } from '~/components/ui/time';
import { serverCaller } from '~/server/caller';
import { latestRolloutOf, movingStatuses } from './latest-rollout';
import { DefaultImageForm, RolloutControls, StartRolloutForm } from './rollout-forms';

export const metadata: Metadata = { title: 'Rollouts' };

type Rollout = RouterOutputs['admin']['rollouts']['list'][number];
type RolloutDetail = RouterOutputs['admin']['rollouts']['get'];

const noDefault = "not set: the worker's AGENT_IMAGE, else the host's default";

/**
 * The agent image and its rollouts (docs/ARCHITECTURE.md, "Images and rollouts"): the default image,
 * starting a rollout, the latest one's live progress, and past ones. Rendered on the server, and again
 * every 2 s while a rollout moves agents (15 s otherwise, for one started elsewhere).
 */
export default async function RolloutsPage() {
  const api = await serverCaller();
  const [image, rollouts] = await Promise.all([api.admin.settings.image.get(), api.admin.rollouts.list()]);
  const latestSummary = latestRolloutOf(rollouts);
  const latest = latestSummary ? await api.admin.rollouts.get({ id: latestSummary.id }) : undefined;
  const busy = Boolean(latest && movingStatuses.has(latest.status));
  const moving = rollouts.some((r) => movingStatuses.has(r.status));
  return (
    <div className="flex flex-col gap-6">
      <RefreshEvery ms={moving ? 2_000 : 15_000} />
      <h1 className="text-2xl font-semibold">Rollouts</h1>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Card title="Default image">
          <p className="mb-3 break-all text-sm" data-testid="default-image">
            {image.image ? <code>{image.image}</code> : <span className="text-muted">{noDefault}</span>}
          </p>
          <DefaultImageForm busy={busy} current={image.image} />
        </Card>
        <Card title="Start a rollout">
          <StartRolloutForm busy={busy} />
        </Card>
      </div>
      {latest ? <LatestRollout rollout={latest} /> : null}
      <PastRollouts rollouts={rollouts.filter((r) => r.id !== latest?.id)} />
    </div>
  );
}

const countLabels: [keyof RolloutDetail['counts'], string][] = [
  ['pending', 'pending'],
  ['in_progress', 'in progress'],
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['skipped', 'skipped'],
  ['rolling_back', 'rolling back'],
  ['rolled_back', 'rolled back'],
  ['rollback_failed', 'rollback failed'],
];

function LatestRollout({ rollout }: { rollout: RolloutDetail }) {
  const done = rollout.total - rollout.counts.pending - rollout.counts.in_progress;
  return (
    <Card title="Latest rollout" actions={<StatusBadge status={rollout.status} />}>
      <p className="mb-2 break-all text-sm">
        <code>{rollout.fromImage ?? 'the default'}</code> → <code>{rollout.toImage}</code>,{' '}
        {rollout.batchSize} at a time, stops past {rollout.failureThresholdPercent}% failed; started{' '}
        <TimeAgo date={rollout.createdAt} />
        {rollout.createdByLabel ? ` by ${rollout.createdByLabel}` : ''}.
      </p>
      {rollout.statusReason ? (
        <p className="mb-2 text-sm text-danger">Stopped: {rollout.statusReason}.</p>
      ) : null}
      <p className="mb-2 text-sm" aria-live="polite" data-testid="rollout-progress">
        {done} of {rollout.total} agents done
      </p>
      <progress
        className="mb-3 h-2 w-full"
        max={rollout.total || 1}
        value={done}
        aria-label="Rollout progress"
      />
      <ul className="mb-4 flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Agents by status">
        {countLabels
          .filter(([key]) => rollout.counts[key] > 0)
          .map(([key, label]) => (
            <li key={key}>
              {rollout.counts[key]} {label}
            </li>
          ))}
      </ul>
      <RolloutControls id={rollout.id} status={rollout.status} fromImage={rollout.fromImage} />
      <RolloutAgentsTable agents={rollout.agents} />
    </Card>
  );
}

function RolloutAgentsTable({ agents }: { agents: RolloutDetail['agents'] }) {
  if (agents.length === 0) return <p className="text-sm text-muted">No running agent needed moving.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Agents of the rollout, in batch order</caption>
        <thead className="text-muted">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Agent
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              State
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Previous image
            </th>
            <th scope="col" className="py-1 font-medium">
              Details
            </th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.agentId} className="border-t border-border" data-testid="rollout-agent">
              <td className="py-1 pr-3">{agent.username}</td>
              <td className="py-1 pr-3">
                <StatusBadge status={agent.status} />
              </td>
              <td className="break-all py-1 pr-3">
                <code>{agent.previousImage ?? 'the default'}</code>
              </td>
              <td className="py-1">
                {agent.error ? <span className="break-words text-muted">{agent.error} </span> : null}
                {agent.runId && agent.personId && agent.status.includes('failed') ? (
                  <Link href={`/admin/people/${agent.personId}`} className="underline">
                    See the failed run
                  </Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PastRollouts({ rollouts }: { rollouts: Rollout[] }) {
  return (
    <Card title="Past rollouts">
      {rollouts.length === 0 ? (
        <EmptyState icon={PackageOpen}>No rollouts yet.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-2 text-sm">
          {rollouts.map((r) => (
            <li
              key={r.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-border pt-2"
            >
              <StatusBadge status={r.status} />
              <code className="break-all">{r.toImage}</code>
              <span className="text-muted">
                {r.counts.succeeded} of {r.total} moved
                {r.counts.failed ? `, ${r.counts.failed} failed` : ''}
                {r.counts.rolled_back ? `, ${r.counts.rolled_back} rolled back` : ''} ·{' '}
                <TimeAgo date={r.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
