import type { RouterOutputs } from '@pocket-smyth/api';
import {
  ChevronRight,
  Circle,
  CircleCheck,
  CircleMinus,
  CircleX,
  type Icon,
  LoaderCircle,
} from '~/components/icons';
import { errorClassInWords, formatDuration, msOf } from './format';
import { toneOf, toneText } from './status-tone';
import { StatusBadge } from './ui/badge';
import { TimeAgo } from './ui/time';

type Run = RouterOutputs['runs']['mine'][number];

const stepIcon: Record<string, Icon> = {
  queued: Circle,
  running: LoaderCircle,
  succeeded: CircleCheck,
  failed: CircleX,
  skipped: CircleMinus,
};

/**
 * One provisioning run as a timeline: every step with its status, time and, on failure, why in words.
 * `collapsed` for older runs (see RunTimelines): only the header shows, the steps open on a click, so
 * the newest run is what the card is about (as in GitHub's or Vercel's run lists).
 */
export function RunTimeline({
  run,
  actions,
  collapsed = false,
}: {
  run: Run;
  actions?: React.ReactNode;
  collapsed?: boolean;
}) {
  const header = <RunHeader run={run} actions={actions} expandable={collapsed} />;
  return (
    <article
      className="rounded-md border border-border"
      data-run-status={run.status}
      data-run-kind={run.kind}
    >
      {collapsed ? (
        <details className="group">
          <summary className="cursor-pointer list-none rounded-md p-4 marker:content-none group-open:pb-3">
            {header}
          </summary>
          <div className="px-4 pb-4">
            <RunSteps run={run} />
          </div>
        </details>
      ) : (
        <div className="p-4">
          <div className="mb-3">{header}</div>
          <RunSteps run={run} />
        </div>
      )}
    </article>
  );
}

/**
 * Runs newest first: the newest in full, older ones collapsed behind their header line. `actionsFor`
 * gives a run its buttons (the admin's retry), and a run with buttons is never collapsed.
 */
export function RunTimelines({
  runs,
  actionsFor,
}: {
  runs: Run[];
  actionsFor?: (run: Run) => React.ReactNode;
}) {
  return (
    <>
      {runs.map((run, i) => {
        const actions = actionsFor?.(run) ?? null;
        return <RunTimeline key={run.id} run={run} actions={actions} collapsed={i > 0 && !actions} />;
      })}
    </>
  );
}

/** A div, not a header: inside a summary only phrasing content is allowed. */
function RunHeader({
  run,
  actions,
  expandable,
}: {
  run: Run;
  actions?: React.ReactNode;
  expandable: boolean;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <div className="flex min-w-0 items-center gap-2">
        {expandable ? (
          <ChevronRight
            aria-hidden="true"
            className="size-4 shrink-0 text-muted transition-transform group-open:rotate-90"
          />
        ) : null}
        <span className="font-medium capitalize">{run.kind}</span>
        <StatusBadge status={run.status} />
        {run.attempt > 1 ? <span className="text-xs text-muted">attempt {run.attempt}</span> : null}
      </div>
      <div className="flex items-center gap-3 text-xs text-muted">
        <TimeAgo date={run.createdAt} />
        {run.requestedByLabel ? <span>by {run.requestedByLabel}</span> : null}
        {actions}
      </div>
    </div>
  );
}

function RunSteps({ run }: { run: Run }) {
  return (
    <ol className="flex flex-col gap-2">
      {run.steps.map((step) => (
        <li key={step.id} className="text-sm" data-step-status={step.status}>
          <div className="flex items-center gap-2">
            <StepIcon status={step.status} />
            <span className="flex-1">{step.name}</span>
            <span className="sr-only">{step.status}</span>
            <span className="text-xs text-muted">
              {/* A skipped step has times too, but "2 ms" would hide that it did nothing. */}
              {step.status === 'skipped'
                ? 'skipped'
                : step.startedAt && step.endedAt
                  ? formatDuration(msOf(step.endedAt) - msOf(step.startedAt))
                  : step.status === 'running'
                    ? 'running…'
                    : step.status}
            </span>
          </div>
          {step.status === 'failed' ? (
            <p className="mt-1 ml-6 text-sm text-danger">
              {(step.errorClass && errorClassInWords[step.errorClass]) ?? 'This step failed.'}
              {step.message ? <span className="text-muted"> {step.message}</span> : null}
            </p>
          ) : null}
          {step.status === 'skipped' && step.message ? (
            <p className="mt-1 ml-6 text-sm text-muted">{step.message}</p>
          ) : null}
          {step.outputTail ? (
            <details className="mt-1 ml-6">
              <summary className="cursor-pointer text-xs text-muted">Output</summary>
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling log must be reachable by keyboard */}
              <pre tabIndex={0} className="mt-1 max-h-48 overflow-auto rounded bg-bg p-2 text-xs">
                {step.outputTail}
              </pre>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The step's mark, in its status's tone (components/status-tone.ts); the word itself is for screen readers. */
function StepIcon({ status }: { status: string }) {
  const Icon = stepIcon[status] ?? Circle;
  return (
    <Icon
      aria-hidden="true"
      className={`size-4 shrink-0 ${toneText[toneOf(status)]} ${status === 'running' ? 'animate-spin' : ''}`}
    />
  );
}
