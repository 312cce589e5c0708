'use client';

import type { RouterOutputs } from '@pocket-smyth/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PackageOpen } from 'lucide-react';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { StatusBadge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { ConfirmDialog } from '~/components/ui/dialog';
import { EmptyState } from '~/components/ui/empty-state';
import { Field } from '~/components/ui/field';
import { TimeAgo } from '~/components/ui/time';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';
import { latestRolloutOf, movingStatuses } from './latest-rollout';

type Rollout = RouterOutputs['admin']['rollouts']['list'][number];
type RolloutDetail = RouterOutputs['admin']['rollouts']['get'];

const moving = movingStatuses;

const noDefault = "not set: the worker's AGENT_IMAGE, else the host's default";

export function Rollouts() {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.admin.rollouts.list.queryOptions(),
    refetchInterval: (q) => (q.state.data?.some((r) => moving.has(r.status)) ? 2_000 : 15_000),
  });
  const latest = latestRolloutOf(list.data ?? []);
  const busy = Boolean(latest && moving.has(latest.status));
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Rollouts</h1>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <DefaultImageCard busy={busy} />
        <StartRolloutCard busy={busy} />
      </div>
      {latest ? <LatestRollout id={latest.id} /> : null}
      <PastRollouts rollouts={(list.data ?? []).filter((r) => r.id !== latest?.id)} />
    </div>
  );
}

function DefaultImageCard({ busy }: { busy: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const current = useQuery(trpc.admin.settings.image.get.queryOptions());
  const [image, setImage] = useState('');
  const set = useMutation(
    trpc.admin.settings.image.set.mutationOptions({
      onSuccess: (result) => {
        toast(result.image ? `New agents now run ${result.image}.` : 'The default image is cleared.');
        setImage('');
        void queryClient.invalidateQueries();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    set.mutate({ image: image.trim() });
  };
  return (
    <Card title="Default image">
      <p className="mb-3 break-all text-sm" data-testid="default-image">
        {current.data?.image ? (
          <code>{current.data.image}</code>
        ) : (
          <span className="text-muted">{noDefault}</span>
        )}
      </p>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <Field
          id="default-image"
          label="New default image"
          placeholder="registry.example.com/agent:2"
          value={image}
          onChange={(e) => setImage(e.target.value)}
          required
          hint="New agents and later starts take it; running agents keep theirs until a rollout moves them."
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy || set.isPending || !image.trim()}>
            {set.isPending ? 'Saving…' : 'Set default'}
          </Button>
          {current.data?.image ? (
            <Button
              variant="secondary"
              disabled={busy || set.isPending}
              onClick={() => set.mutate({ image: null })}
            >
              Clear
            </Button>
          ) : null}
        </div>
        {busy ? <p className="text-sm text-muted">A rollout owns the default image until it ends.</p> : null}
      </form>
    </Card>
  );
}

function StartRolloutCard({ busy }: { busy: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [image, setImage] = useState('');
  const [batchSize, setBatchSize] = useState('1');
  const [threshold, setThreshold] = useState('10');
  const start = useMutation(
    trpc.admin.rollouts.start.mutationOptions({
      onSuccess: (rollout) => {
        toast(
          rollout.total === 0
            ? `No running agent needed moving; ${rollout.toImage} is the default now.`
            : `Rolling ${rollout.total} agents out to ${rollout.toImage}.`,
        );
        setImage('');
        void queryClient.invalidateQueries();
      },
      onError: (e) => toast(e.message, 'error'),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({
      image: image.trim(),
      batchSize: Number(batchSize),
      failureThresholdPercent: Number(threshold),
    });
  };
  return (
    <Card title="Start a rollout">
      <form onSubmit={submit} className="flex flex-col gap-3">
        <Field
          id="rollout-image"
          label="Image"
          placeholder="registry.example.com/agent:2"
          value={image}
          onChange={(e) => setImage(e.target.value)}
          required
        />
        <div className="grid grid-cols-2 gap-3">
          <Field
            id="rollout-batch"
            label="Batch size"
            type="number"
            min={1}
            max={1000}
            value={batchSize}
            onChange={(e) => setBatchSize(e.target.value)}
            required
            hint="Agents at a time"
          />
          <Field
            id="rollout-threshold"
            label="Failure threshold %"
            type="number"
            min={0}
            max={100}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            required
            hint="Stops past this share"
          />
        </div>
        <div>
          <Button type="submit" disabled={busy || start.isPending || !image.trim()}>
            {start.isPending ? 'Starting…' : 'Start rollout'}
          </Button>
        </div>
        <p className="text-sm text-muted">
          Running agents without an image of their own are provisioned again, a batch at a time, each batch
          healthy before the next. Their data is kept.
        </p>
      </form>
    </Card>
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

function LatestRollout({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const detail = useQuery({
    ...trpc.admin.rollouts.get.queryOptions({ id }),
    // Live while it moves agents; at rest it changes only when someone acts here.
    refetchInterval: (q) => (q.state.data && moving.has(q.state.data.status) ? 2_000 : false),
  });
  const handlers = {
    onSuccess: () => void queryClient.invalidateQueries(),
    onError: (e: { message: string }) => toast(e.message, 'error'),
    onSettled: () => setConfirming(false),
  };
  const pause = useMutation(trpc.admin.rollouts.pause.mutationOptions(handlers));
  const resume = useMutation(trpc.admin.rollouts.resume.mutationOptions(handlers));
  const rollback = useMutation(trpc.admin.rollouts.rollback.mutationOptions(handlers));
  const rollout = detail.data;
  if (!rollout) return null;
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
      <div className="mb-4 flex flex-wrap gap-2">
        {rollout.status === 'running' ? (
          <Button variant="secondary" disabled={pause.isPending} onClick={() => pause.mutate({ id })}>
            {pause.isPending ? 'Pausing…' : 'Pause'}
          </Button>
        ) : null}
        {rollout.status === 'paused' ? (
          <Button variant="secondary" disabled={resume.isPending} onClick={() => resume.mutate({ id })}>
            {resume.isPending ? 'Resuming…' : 'Resume'}
          </Button>
        ) : null}
        {['running', 'paused', 'stopped_failed', 'completed'].includes(rollout.status) ? (
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Roll back
          </Button>
        ) : null}
      </div>
      <RolloutAgentsTable agents={rollout.agents} />
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Roll this rollout back?"
        confirmLabel="Roll back"
        pendingLabel="Rolling back…"
        pending={rollback.isPending}
        onConfirm={() => rollback.mutate({ id })}
        tone="danger"
      >
        Every agent it changed goes back to the image it ran before, the failed ones first, and the default
        image goes back to {rollout.fromImage ?? "the worker's"}. Agents it never reached keep theirs.
      </ConfirmDialog>
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
