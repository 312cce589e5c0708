import type { RouterOutputs } from '@pocket-smyth/api';
import { currentReading, formatBytes, msOf, readingOf } from '~/components/format';
import { AppWindow, ExternalLink, Play, RotateCw, Square } from '~/components/icons';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { Sparkline } from '~/components/ui/sparkline';
import { TimeAgo } from '~/components/ui/time';
import { isChanging } from './agent-and-runs';
import { AgentControls } from './agent-controls';

/**
 * State with "since", CPU and memory now and over the last hour; launch, restart, stop and start. The
 * agent is read with the timeline's runs in the same server render (./agent-and-runs), so the two never
 * disagree. Stop and start change what the person wants (the "Wanted" state); the run that follows
 * shows below. Rendered on the server; only the restart/stop/start buttons run in the browser.
 */
export function AgentCard({
  launchUrl,
  agent: a,
  samples,
}: {
  launchUrl: string;
  agent: RouterOutputs['agent']['get'];
  samples: RouterOutputs['agent']['metrics']['samples'];
}) {
  if (!a) {
    return (
      <Card title="Your agent">
        <p className="text-sm text-muted">Your agent has not been created yet.</p>
      </Card>
    );
  }
  const running = a.observedState === 'running';
  const wantedRunning = a.desiredState === 'running';
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
          <AgentControls
            running={running}
            wantedRunning={wantedRunning}
            changing={isChanging(a.observedState)}
            icons={{
              restart: <RotateCw aria-hidden="true" className="size-4" />,
              stop: <Square aria-hidden="true" className="size-4" />,
              start: <Play aria-hidden="true" className="size-4" />,
            }}
          />
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
    </Card>
  );
}
