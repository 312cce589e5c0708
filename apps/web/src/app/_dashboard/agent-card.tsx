'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AppWindow, ExternalLink, Play, RotateCw, Square } from 'lucide-react';
import { useState } from 'react';
import { currentReading, formatBytes, msOf, readingOf } from '~/components/format';
import { StatusBadge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { ConfirmDialog } from '~/components/ui/dialog';
import { Sparkline } from '~/components/ui/sparkline';
import { TimeAgo } from '~/components/ui/time';
import { useToast } from '~/components/ui/toast';
import { useTRPC } from '~/trpc/react';
import { isChanging, useMyAgent } from './agent-and-runs';

/**
 * State with "since", CPU and memory now and over the last hour; launch, restart, stop and start. The
 * agent is read with the timeline's runs, on one clock (./agent-and-runs), so the two never disagree.
 * Stop and start change what the person wants (the "Wanted" state); the run that follows shows below.
 */
export function AgentCard({ launchUrl }: { launchUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState<null | 'restart' | 'stop'>(null);
  const agent = useMyAgent();
  const metrics = useQuery({ ...trpc.agent.metrics.queryOptions({ minutes: 60 }), refetchInterval: 15_000 });
  const afterChange = (message: string) => {
    toast(message);
    void queryClient.invalidateQueries({ queryKey: trpc.runs.mine.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.agent.get.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.user.activity.queryKey() });
  };
  const onError = (e: { message: string }) => toast(e.message, 'error');
  const restart = useMutation(
    trpc.agent.restart.mutationOptions({
      onSuccess: () => afterChange('Restart requested. Follow it in the timeline below.'),
      onError,
      onSettled: () => setConfirming(null),
    }),
  );
  const stop = useMutation(
    trpc.agent.stop.mutationOptions({
      onSuccess: () =>
        afterChange('Stopping your agent. Its data is kept; start it again whenever you like.'),
      onError,
      onSettled: () => setConfirming(null),
    }),
  );
  const start = useMutation(
    trpc.agent.start.mutationOptions({
      onSuccess: () => afterChange('Starting your agent. Follow it in the timeline below.'),
      onError,
    }),
  );

  const a = agent.data;
  // The page prefetches the agent, so these two only show when that read failed on the server too.
  if (agent.isPending) {
    return (
      <Card title="Your agent">
        <p className="text-sm text-muted">Loading…</p>
      </Card>
    );
  }
  if (agent.isError && !a) {
    return (
      <Card title="Your agent">
        <p role="alert" className="text-sm text-danger">
          {agent.error.message}
        </p>
      </Card>
    );
  }
  if (!a) {
    return (
      <Card title="Your agent">
        <p className="text-sm text-muted">Your agent has not been created yet.</p>
      </Card>
    );
  }
  const samples = metrics.data?.samples ?? [];
  const running = a.observedState === 'running';
  const wantedRunning = a.desiredState === 'running';
  // While a run moves the agent, a start waits for it (the server says so too); a stop never has to.
  const moving = isChanging(a.observedState);
  const busy = restart.isPending || stop.isPending || start.isPending;
  const newest = samples.at(-1)?.at;
  const chart = {
    // The worker samples every agent about every 15 s while it runs.
    emptyText: running ? 'The first sample arrives within about 15 s' : 'Shown while your agent runs',
    // The hour up to the newest sample, so a young agent's line sits at the right end rather than being
    // stretched over the whole width; samples more than 90 s apart (the agent was stopped) are not joined.
    ...(newest ? { from: new Date(msOf(newest) - 3_600_000), to: newest } : {}),
    gapMs: 90_000,
  };
  return (
    <Card
      title="Your agent"
      actions={
        <div className="flex flex-wrap gap-2">
          {/* Without an href while the agent is not running: a link that only looks disabled would still
              open from the keyboard. Launch opens the agent inside the portal (app/launch); the icon
              beside it, in a tab of its own. */}
          <a
            href={running ? '/launch' : undefined}
            aria-disabled={!running}
            className={`inline-flex items-center gap-2 rounded-md bg-accent px-4 py-2 text-sm font-medium text-accent-fg ${running ? 'hover:opacity-90' : 'pointer-events-none opacity-50'}`}
          >
            <AppWindow aria-hidden="true" className="size-4" />
            Launch agent
          </a>
          <a
            href={running ? launchUrl : undefined}
            target="_blank"
            rel="noreferrer"
            aria-disabled={!running}
            title="Open in a new tab"
            className={`inline-flex items-center rounded-md border border-border bg-surface px-3 py-2 text-sm ${running ? 'hover:bg-bg' : 'pointer-events-none opacity-50'}`}
          >
            <ExternalLink aria-hidden="true" className="size-4" />
            {/* Words, not aria-label: without an href the <a> has no role that may carry a label. */}
            <span className="sr-only">Open your agent in a new tab</span>
          </a>
          <Button
            variant="secondary"
            disabled={!running || !wantedRunning || busy}
            onClick={() => setConfirming('restart')}
          >
            <RotateCw aria-hidden="true" className="size-4" />
            Restart
          </Button>
          {wantedRunning ? (
            <Button variant="secondary" disabled={busy} onClick={() => setConfirming('stop')}>
              <Square aria-hidden="true" className="size-4" />
              Stop
            </Button>
          ) : (
            <Button disabled={busy || moving} onClick={() => start.mutate()}>
              <Play aria-hidden="true" className="size-4" />
              {start.isPending ? 'Starting…' : 'Start'}
            </Button>
          )}
        </div>
      }
    >
      <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-muted">State</dt>
          <dd className="mt-1 flex items-center gap-2" data-testid="agent-observed-state">
            <StatusBadge status={a.observedState} />
          </dd>
        </div>
        <div>
          <dt className="text-muted">Since</dt>
          <dd className="mt-1">
            <TimeAgo date={a.observedAt} />
          </dd>
        </div>
        <div>
          <dt className="text-muted">Wanted</dt>
          <dd className="mt-1" data-testid="agent-desired-state">
            <StatusBadge status={a.desiredState} />
          </dd>
        </div>
      </dl>
      <div className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-2">
        {/* "Now" only from a sample of the agent running since it last started: "—" until the first one,
            not the 0 B the host reports while it stops and starts. */}
        <Sparkline
          label="CPU"
          points={samples.map((s) => ({ at: s.at, value: readingOf(s, 'cpuPercent') }))}
          current={running ? currentReading(samples, 'cpuPercent', a.observedAt) : null}
          max={100}
          format={(v) => `${v.toFixed(1)} %`}
          {...chart}
        />
        <Sparkline
          label="Memory"
          points={samples.map((s) => ({ at: s.at, value: readingOf(s, 'memoryBytes') }))}
          current={running ? currentReading(samples, 'memoryBytes', a.observedAt) : null}
          format={formatBytes}
          {...chart}
        />
      </div>
      <ConfirmDialog
        open={confirming === 'restart'}
        onClose={() => setConfirming(null)}
        title="Restart your agent?"
        confirmLabel="Restart now"
        pendingLabel="Restarting…"
        pending={restart.isPending}
        onConfirm={() => restart.mutate()}
      >
        Your agent stops and starts again; open sessions with it are cut. Its data is kept.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === 'stop'}
        onClose={() => setConfirming(null)}
        title="Stop your agent?"
        confirmLabel="Stop agent"
        pendingLabel="Stopping…"
        pending={stop.isPending}
        onConfirm={() => stop.mutate()}
      >
        Your agent stops until you start it again; open sessions with it are cut. Its data is kept.
      </ConfirmDialog>
    </Card>
  );
}
