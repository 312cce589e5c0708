import type { RouterOutputs } from '@pocket-smyth/api';
import { EvacuateButton, type HostFacts } from './host-actions';

export type Evacuation = NonNullable<RouterOutputs['admin']['hosts']['evacuation']['evacuation']>;

/**
 * A draining host's evacuation: "Evacuate" moves every agent on it elsewhere, a batch at a time, and
 * its progress shows live ("12 of 40 moved, 1 failed": the page re-renders every 2 s while one runs),
 * with each agent that could not be moved and why.
 */
export function HostEvacuation({
  id,
  name,
  status,
  agents,
  evacuation,
}: HostFacts & { evacuation: Evacuation | null }) {
  const running = evacuation?.status === 'running';
  return (
    <section aria-label={`${name} evacuation`} className="mt-4">
      {evacuation ? (
        <div className="text-sm" data-testid="host-evacuation">
          <div className="flex justify-between gap-3 text-muted">
            <span>{running ? 'Evacuating' : 'Last evacuation'}</span>
            <span>
              {evacuation.moved} of {evacuation.total} moved
              {evacuation.failed > 0 ? `, ${evacuation.failed} failed` : ''}
            </span>
          </div>
          <progress
            className="mt-1 h-2 w-full accent-accent"
            max={evacuation.total}
            value={evacuation.moved + evacuation.failed}
            aria-label={`${name} evacuation progress`}
          />
          {evacuation.failures.length > 0 ? (
            <ul className="mt-1 text-xs text-danger">
              {evacuation.failures.map((f) => (
                <li key={f.agentId}>
                  <span className="font-mono">{f.username}</span>: {f.message ?? 'not moved'}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {status === 'draining' && agents > 0 && !running ? <EvacuateButton id={id} name={name} /> : null}
    </section>
  );
}
